"""import_education_counts and the admin's import: one year's set, all or nothing."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from reports import schools
from reports.models import EducationCount
from reports.tables.school_counts import IMPORT_COLUMNS
from tests import factories
from tests.commands import rejected_lines
from tests.reports.conftest import run_import_education_counts as run
from tests.reports.school_fixtures import CODES, YEAR, build_school_province
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db


ROWS = [
    [" 3135 0101 0001 ", "甲市第一中学", "公办", "甲市", 12],  # spaces in the code
    ["3135\u30000102\u30000002", "甲县民办中学", "民办", "甲市", "20"],  # full-width spaces
    ["313501019901", "甲市民办英才学校", "民办", "甲市", 30.0],  # absent from the tree
]


@pytest.fixture
def tree(scripted_province):
    return build_school_province(scripted_province, education=False)


def test_import_matches_codes_ignoring_spaces(tmp_path, tree):
    code, out, err = run(
        write_xlsx(tmp_path / "edu.xlsx", IMPORT_COLUMNS, ROWS), "--year", str(YEAR)
    )
    assert code == 0, err
    rows = {
        row.school_code: row
        for row in EducationCount.objects.for_year(YEAR).with_match().order_by()
    }
    assert set(rows) == {CODES["S1"], CODES["S2"], CODES["X1"]}
    assert rows[CODES["S1"]].organization_id == tree.schools["S1"].pk
    assert rows[CODES["S2"]].organization_id == tree.schools["S2"].pk
    assert rows[CODES["S2"]].ownership == "private"
    assert rows[CODES["S2"]].education_count == 20
    assert rows[CODES["X1"]].organization_id is None  # kept: an organisational blank
    assert rows[CODES["X1"]].education_count == 30
    assert "甲市民办英才学校" in out  # the blanks are named


def test_import_without_title_row_defaults_to_the_current_year(tmp_path, tree):
    code, _out, err = run(write_xlsx(tmp_path / "edu.xlsx", IMPORT_COLUMNS, ROWS, title=None))
    assert code == 0, err
    assert EducationCount.objects.for_year(timezone.localdate().year).count() == 3


def test_bad_rows_are_named_by_excel_row_and_nothing_is_written(tmp_path, tree):
    rows = [
        ROWS[0],  # row 3
        ["313501010001", "重复的学校", "公办", "甲市", 5],  # row 4: the same code again
        ["313501020002", "甲县民办中学", "私立", "甲市", 20],  # row 5: bad ownership
        ["313502030003", "乙市民办实验学校", "民办", "乙市", -3],  # row 6: negative
        ["313502030004", "乙市第二中学", "公办", "乙市", "许多"],  # row 7: not a number
        ["313503040005", "", "公办", "甲市", 4],  # row 8: no name
        ["", "无码学校", "公办", "甲市", 4],  # row 9: no code
        ["313503040006", "小数学校", "公办", "甲市", 4.5],  # row 10: not whole
    ]
    code, _out, err = run(write_xlsx(tmp_path / "bad.xlsx", IMPORT_COLUMNS, rows))
    assert code == 1
    lines = rejected_lines(err)
    assert set(lines) == {4, 5, 6, 7, 8, 9, 10}
    assert "第3行" in lines[4][0]
    assert "私立" in lines[5][0]
    assert "-3" in lines[6][0]
    assert "许多" in lines[7][0]
    assert "学校名称" in lines[8][0]
    assert "学校标识码" in lines[9][0]
    assert "4.5" in lines[10][0]
    assert not EducationCount.objects.exists()


def test_missing_column_rejects_the_file(tmp_path, tree):
    columns = IMPORT_COLUMNS[:-1]
    code, _out, err = run(write_xlsx(tmp_path / "short.xlsx", columns, [r[:-1] for r in ROWS]))
    assert code == 1
    assert "教育系统统计数" in err
    assert not EducationCount.objects.exists()


def test_reimporting_a_year_replaces_its_set_only(tmp_path, tree):
    assert run(write_xlsx(tmp_path / "a.xlsx", IMPORT_COLUMNS, ROWS), "--year", "2019")[0] == 0
    assert run(write_xlsx(tmp_path / "b.xlsx", IMPORT_COLUMNS, ROWS[:1]), "--year", "2018")[0] == 0
    again = [["313501010001", "甲市第一中学", "公办", "甲市", 15]]
    code, out, err = run(write_xlsx(tmp_path / "c.xlsx", IMPORT_COLUMNS, again), "--year", "2019")
    assert code == 0, err
    assert list(
        EducationCount.objects.for_year(2019).values_list("school_code", "education_count")
    ) == [(CODES["S1"], 15)]
    assert EducationCount.objects.for_year(2018).count() == 1
    assert "1" in out
    s1 = EducationCount.objects.get(year=2019, school_code=CODES["S1"])
    assert s1.history.count() == 2  # imported, then updated


def test_dry_run_writes_nothing(tmp_path, tree):
    code, out, _err = run(write_xlsx(tmp_path / "a.xlsx", IMPORT_COLUMNS, ROWS), "--dry-run")
    assert code == 0
    assert not EducationCount.objects.exists()


def test_only_provincial_staff_import(tmp_path, tree):
    factories.user_with_role(tree.scripted.c1, Role.COMMITTEE, username="city")
    factories.user_with_role(tree.root, Role.PROVINCE, username="prov")
    path = write_xlsx(tmp_path / "a.xlsx", IMPORT_COLUMNS, ROWS)
    code, _out, err = run(path, "--as", "city", "--year", "2019")
    assert code == 1
    assert not EducationCount.objects.exists()
    code, _out, err = run(path, "--as", "prov", "--year", "2019")
    assert code == 0, err
    row = EducationCount.objects.get(year=2019, school_code=CODES["S1"])
    assert row.imported_by.username == "prov"


def test_implausible_year_is_refused(tmp_path, tree):
    code, _out, err = run(write_xlsx(tmp_path / "a.xlsx", IMPORT_COLUMNS, ROWS), "--year", "19")
    assert code == 1
    assert "19" in err


# --- the admin's import button --------------------------------------------------------------


def upload(client, path, year):
    url = reverse("admin:reports_educationcount_table_import") + f"?year={year}"
    with open(path, "rb") as handle:
        checked = client.post(url, {"file": handle})
    assert checked.status_code == HTTPStatus.OK
    assert checked.context["outcome"].ok, checked.context["outcome"].errors
    return client.post(url, {"confirm": "1", "token": checked.context["token"]})


def test_admin_import_for_a_chosen_year(client, tmp_path, tree):
    client.force_login(factories.user_with_role(tree.root, Role.PROVINCE))
    page = client.get(reverse("admin:reports_educationcount_table_import") + "?year=2019")
    assert page.status_code == HTTPStatus.OK
    assert page.context["import_year"] == 2019
    changelist = client.get(reverse("admin:reports_educationcount_changelist"))
    assert changelist.status_code == HTTPStatus.OK
    assert changelist.context["table_import_url"]
    done = upload(client, write_xlsx(tmp_path / "a.xlsx", IMPORT_COLUMNS, ROWS), 2019)
    assert done.status_code == HTTPStatus.FOUND
    assert EducationCount.objects.for_year(2019).count() == 3
    assert schools.latest_year() == 2019


def test_admin_import_rejects_bad_files_with_row_numbers(client, tmp_path, tree):
    client.force_login(factories.user_with_role(tree.root, Role.PROVINCE))
    path = write_xlsx(tmp_path / "bad.xlsx", IMPORT_COLUMNS, [ROWS[0], ROWS[0]])
    url = reverse("admin:reports_educationcount_table_import") + "?year=2019"
    with open(path, "rb") as handle:
        response = client.post(url, {"file": handle})
    outcome = response.context["outcome"]
    assert not outcome.ok
    assert [error.row for error in outcome.errors] == [4]
    assert response.context["token"] is None
    assert not EducationCount.objects.exists()


@pytest.mark.parametrize("role", ["city", "secretary"])
def test_admin_figures_are_for_provincial_staff(client, tree, role):
    user = (
        factories.user_with_role(tree.scripted.c1, Role.COMMITTEE)
        if role == "city"
        else factories.user_with_role(tree.scripted.b1, Role.SECRETARY)
    )
    client.force_login(user)
    for name in ("table_import", "changelist"):
        response = client.get(reverse(f"admin:reports_educationcount_{name}"))
        assert response.status_code == HTTPStatus.FORBIDDEN


def test_explanations_are_read_in_the_admin_by_provincial_staff(client, tree):
    from reports.models import Explanation

    explanation = Explanation.objects.create(
        year=YEAR, subject=Explanation.Subject.SCHOOL, school_code=CODES["S1"], text="转学"
    )
    client.force_login(factories.user_with_role(tree.root, Role.PROVINCE))
    url = reverse("admin:reports_explanation_change", args=[explanation.pk])
    assert client.get(url).status_code == HTTPStatus.OK
    history = reverse("admin:reports_explanation_history", args=[explanation.pk])
    assert client.get(history).status_code == HTTPStatus.OK
    client.force_login(factories.user_with_role(tree.scripted.c1, Role.COMMITTEE))
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN

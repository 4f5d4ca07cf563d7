"""The cadre register 团干部名册 as an official table: exported from one query in the user's
scope, imported by ``import_cadres`` and the admin's button from the same column declaration,
and a round trip (export, import back) changes nothing.

The tree (``small_province``): P > C1 甲市 > C1-K1 甲县 > B1, B2; P > C2 乙市 > C2-K1 > B1 of 乙县.
"""

import io
from datetime import date
from http import HTTPStatus

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from branches import access
from branches.models import Cadre
from branches.tables import cadres as cadre_table
from members.demo import fake_id_number
from reports.models import ExportLog
from spreadsheets.tables import get_table
from tests.commands import rejected_lines, run_import
from tests.factories import CadreFactory
from tests.xlsx import read_xlsx, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = list(cadre_table.HEADER)


def download(client, user, org=None):
    """The register as the download page hands it to ``user``: every row after the header."""
    client.force_login(user)
    url = reverse("reports:download", args=["cadres"])
    response = client.get(url, {"org": org.code} if org else {})
    assert response.status_code == HTTPStatus.OK
    data = b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(rows) if row[: len(HEADER)] == HEADER)
    return rows[header_at + 1 :]


def as_text_row(row):
    """A row as the import reads it back: dates as days, everything else as text."""
    out = []
    for value in row[: len(HEADER)]:
        if hasattr(value, "date"):
            value = value.date()
        out.append(value)
    return out


@pytest.fixture
def register(small_province):
    p = small_province
    secretary = CadreFactory(
        organization=p.county,
        name="林晓明",
        id_number=fake_id_number(date(1985, 6, 1), "M", serial=7),
        birth_date=date(1985, 6, 1),
        gender="M",
        phone="0591-87517537",
        on_party_committee=True,
        nature=Cadre.Nature.FULL_TIME,
        term="第三届",
        term_end=date(2027, 6, 30),
    )
    deputy = CadreFactory(
        organization=p.county,
        position=Cadre.Position.DEPUTY_SECRETARY,
        name="陈雅婷",
        political_status=Cadre.PoliticalStatus.LEAGUE_MEMBER,
        nature=Cadre.Nature.SECONDED,
        id_number="",
        birth_date=None,
        gender="",
        phone="",
        ethnicity="",
        term="",
        term_end=None,
    )
    branch_secretary = CadreFactory(organization=p.branch, name="王志强")
    CadreFactory(organization=p.foreign_branch, name="外市干部")
    ended = CadreFactory(organization=p.other_branch, name="已离任")
    ended.ended_on = date(2023, 1, 1)
    ended.save()
    return secretary, deputy, branch_secretary


def test_export_writes_the_cadres_in_post_of_the_users_subtree(client, small_province, register):
    """Only cadres in post, only the user's subtree, each column as declared."""
    rows = download(client, small_province.city_user)
    assert [row[cadre_table.HEADER.index("姓名")] for row in rows] == ["林晓明", "陈雅婷", "王志强"]
    first = dict(zip(HEADER, rows[0], strict=False))
    assert first["组织代码"] == "C1-K1"
    assert first["职务"] == "书记"
    assert first["性别"] == "男"
    assert first["任职性质"] == "专职"
    assert first["政治面貌"] == "中共党员"
    assert first["是否同级党委委员"] == "是"
    assert first["届次"] == "第三届"
    assert first["联系电话"] == "0591-87517537"
    second = dict(zip(HEADER, rows[1], strict=False))
    assert second["职务"] == "副书记"
    assert second["任职性质"] == "挂职"
    assert second["是否同级党委委员"] == "否"
    assert ExportLog.objects.get().kind == "cadres"


def test_export_of_another_citys_organisation_is_404(client, small_province, register):
    client.force_login(small_province.city_user)
    url = reverse("reports:download", args=["cadres"])
    response = client.get(url, {"org": small_province.foreign_branch.code})
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_export_rows_come_from_one_query(small_province, register, django_assert_num_queries):
    """Whatever the number of cadres (the user's access is read once, before)."""
    table = get_table("cadres")
    user = small_province.city_user
    access.role_of(user)
    with django_assert_num_queries(1):
        rows = list(table.rows(small_province.province, user=user))
    assert len(rows) == 3


def test_round_trip_changes_nothing(tmp_path, client, small_province, register):
    """Export, import back: every cadre is found again and updated to what it was (no new
    record); import into an empty register: the export reads exactly the same."""
    p = small_province
    rows = download(client, p.province_user)
    fields = [f.name for f in Cadre._meta.fields]
    before = list(Cadre.objects.order_by("pk").values(*fields))
    path = write_xlsx(tmp_path / "cadres.xlsx", HEADER, rows)
    code, out, err = run_import("import_cadres", path)
    assert code == 0, err
    assert list(Cadre.objects.order_by("pk").values(*fields)) == before
    assert "0" in out

    Cadre.history.all().delete()
    Cadre.objects.filter(ended_on__isnull=True).delete()
    code, _out, err = run_import("import_cadres", path)
    assert code == 0, err
    assert Cadre.objects.filter(ended_on__isnull=True).count() == 4
    assert [as_text_row(r) for r in download(client, p.province_user)] == [
        as_text_row(r) for r in rows
    ]


def test_import_names_bad_rows_and_writes_nothing(tmp_path, small_province):
    rows = [
        ["", "C1-K1", "", "书记", "张三", "", "", "", "", "", "", "", "兼职", "", "2022-01-01"],
        ["", "NOPE", "", "书记", "李四", "", "", "", "", "", "", "", "兼职", "", "2022-01-01"],
        ["", "C1-K1", "", "团长", "王五", "", "", "", "", "", "", "", "兼职", "", "2022-01-01"],
        ["", "C1-K1", "", "委员", "赵六", "", "", "", "", "", "123", "", "兼职", "", "2022-01-01"],
        ["", "C1-K1", "", "委员", "钱七", "", "", "", "", "", "", "", "兼职", "", ""],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", HEADER[:15], rows)
    code, _out, err = run_import("import_cadres", path)
    assert code == 1
    rejected = rejected_lines(err)
    assert set(rejected) == {4, 5, 6, 7}
    assert "NOPE" in rejected[4][0]
    assert "联系电话" in rejected[6][0]
    assert "任职时间" in rejected[7][0]
    assert not Cadre.objects.exists()


def test_import_as_a_committee_cannot_reach_outside_its_subtree(tmp_path, small_province):
    """A code outside the user's scope reads as unknown, as if it did not exist."""
    row = ["", "C2-K1-B1", "", "书记", "张三", "", "", "", "", "", "", "", "兼职", "", "2022-01-01"]
    path = write_xlsx(tmp_path / "c.xlsx", HEADER[:15], [row])
    code, _out, err = run_import("import_cadres", path, "--as", "city")
    assert code == 1
    assert "C2-K1-B1" in rejected_lines(err)[3][0]
    assert not Cadre.objects.exists()


def test_import_dry_run_saves_nothing(tmp_path, small_province):
    row = ["", "C1-K1", "", "书记", "张三", "", "", "", "", "", "", "", "兼职", "", "2022-01-01"]
    path = write_xlsx(tmp_path / "c.xlsx", HEADER[:15], [row], title=None)
    code, _out, err = run_import("import_cadres", path, "--dry-run")
    assert code == 0, err
    assert not Cadre.objects.exists()


def test_admin_import_button_imports_after_a_dry_run(tmp_path, client, small_province):
    p = small_province
    client.force_login(p.city_user)
    changelist = client.get(reverse("admin:branches_cadre_changelist"))
    assert changelist.context["table_import_url"] == reverse("admin:branches_cadre_table_import")
    row = [
        "",
        "C1-K1-B1",
        "",
        "书记",
        "张三",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "兼职",
        "否",
        "2022-01-01",
    ]
    path = write_xlsx(tmp_path / "c.xlsx", HEADER[:15], [row])
    url = reverse("admin:branches_cadre_table_import")
    with open(path, "rb") as handle:
        checked = client.post(url, {"file": handle})
    assert checked.context["outcome"].ok
    assert not Cadre.objects.exists()
    done = client.post(url, {"confirm": "1", "token": checked.context["token"]})
    assert done.status_code == HTTPStatus.FOUND
    cadre = Cadre.objects.get()
    assert (cadre.organization, cadre.name) == (p.branch, "张三")


def test_written_register_reads_back_with_the_reader(tmp_path, small_province, register):
    """The title row and the declared header, as every official table."""
    table = get_table("cadres")
    assert [c.name for c in table.columns] == HEADER
    assert table.title(small_province.county) == "团干部名册（甲县团委）"
    rows = read_xlsx(write_xlsx(tmp_path / "t.xlsx", HEADER, []))
    assert rows[1] == HEADER


def test_export_report_command_writes_the_register(tmp_path, small_province, register):
    out = tmp_path / "cadres.xlsx"
    call_command(
        "export_report", "cadres", "--org", "C1-K1", "--out", str(out), stdout=io.StringIO()
    )
    rows = read_xlsx(out)
    assert rows[0][0] == "团干部名册（甲县团委）"
    assert rows[1][: len(HEADER)] == HEADER
    assert [row[4] for row in rows[2:]] == ["林晓明", "陈雅婷", "王志强"]

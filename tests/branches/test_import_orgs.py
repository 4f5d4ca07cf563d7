"""import_orgs: a scripted tree imports; any bad row rejects the file, named by Excel row."""

from datetime import date

import pytest

from branches.importing import COLUMNS, ORGANIZATION_IMPORT
from branches.models import Organization
from tests.branches.conftest import run_import_orgs as run
from tests.commands import rejected_lines
from tests.factories import committee, province, user_with_role
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db


ROOT = ["P", "测试省团委", "", "省级团委", "机关", "", "", ""]


def test_tree_imports_with_parents_later_in_the_file(tmp_path):
    rows = [
        ["C1-S1-K1", "高三（1）班团支部", "C1-S1", "学生班级团支部", "学校", "", "", "2019-06-30"],
        ["C1-S1", "第一中学团委", "C1", "基层团委", "学校", " 3135 0102 ", "民办", ""],
        ["C1", "甲市团委", "P", "市级团委", "机关", "", "", ""],
        ROOT,
    ]
    code, out, err = run(write_xlsx(tmp_path / "orgs.xlsx", COLUMNS, rows))
    assert code == 0, err
    school = Organization.objects.get(code="C1-S1")
    assert school.school_code == "31350102"
    assert school.ownership == Organization.Ownership.PRIVATE
    klass = Organization.objects.get(code="C1-S1-K1")
    assert klass.graduation_date == date(2019, 6, 30)
    assert klass.kind == Organization.Kind.CLASS_BRANCH
    assert [o.code for o in Organization.objects.get_ancestors(klass)] == ["P", "C1", "C1-S1"]
    assert "4" in out


def test_without_title_row(tmp_path):
    code, _out, err = run(write_xlsx(tmp_path / "orgs.xlsx", COLUMNS, [ROOT], title=None))
    assert code == 0, err
    assert Organization.objects.filter(code="P").exists()


def test_bad_rows_are_named_and_nothing_is_written(tmp_path):
    rows = [
        ROOT,  # row 3
        ["C1", "甲市团委", "P", "市级团委", "机关", "", "", ""],  # row 4
        ["C1", "重复", "P", "市级团委", "机关", "", "", ""],  # row 5: duplicate code
        ["C2", "乙市团委", "NOPE", "市级团委", "机关", "", "", ""],  # row 6: unknown parent
        ["C3", "丙市团委", "P", "地级团委", "机关", "", "", ""],  # row 7: bad kind
        ["C4", "丁市团委", "P", "市级团委", "机关", "", "", "2019-06-30"],  # row 8: date on a city
    ]
    code, _out, err = run(write_xlsx(tmp_path / "bad.xlsx", COLUMNS, rows))
    assert code == 1
    lines = rejected_lines(err)
    assert "重复" in lines[5][0]
    assert "NOPE" in lines[6][0]
    assert "地级团委" in lines[7][0]
    assert "毕业时间" in lines[8][0]
    assert set(lines) == {5, 6, 7, 8}
    assert Organization.objects.count() == 0


def test_cycle_is_rejected(tmp_path):
    root = province(code="P")
    a = committee(root, code="A")
    committee(a, code="B")
    rows = [
        ["A", "甲", "B", "市级团委", "机关", "", "", ""],
    ]
    code, _out, err = run(write_xlsx(tmp_path / "cycle.xlsx", COLUMNS, rows))
    assert code == 1
    assert set(rejected_lines(err)) == {3}
    assert Organization.objects.get_parent(Organization.objects.get(code="A")).code == "P"


def test_cycle_within_the_file_is_rejected(tmp_path):
    province(code="P")
    rows = [
        ["X", "甲", "Y", "市级团委", "机关", "", "", ""],
        ["Y", "乙", "X", "县级团委", "机关", "", "", ""],
    ]
    code, _out, err = run(write_xlsx(tmp_path / "cycle.xlsx", COLUMNS, rows))
    assert code == 1
    assert set(rejected_lines(err)) == {3, 4}
    assert not Organization.objects.filter(code__in=["X", "Y"]).exists()


def test_rows_update_by_code_and_move(tmp_path):
    root = province(code="P")
    a = committee(root, code="A", name="旧名")
    committee(root, code="B")
    rows = [["A", "新名", "B", "县级团委", "机关", "", "", ""]]
    code, _out, err = run(write_xlsx(tmp_path / "upd.xlsx", COLUMNS, rows))
    assert code == 0, err
    a.refresh_from_db()
    assert a.name == "新名"
    assert Organization.objects.get_parent(a).code == "B"
    assert Organization.objects.count() == 3


def test_dry_run_writes_nothing(tmp_path):
    code, out, _err = run(write_xlsx(tmp_path / "orgs.xlsx", COLUMNS, [ROOT]), "--dry-run")
    assert code == 0
    assert Organization.objects.count() == 0


def test_scope_of_the_importing_user(tmp_path):
    root = province(code="P")
    city = committee(root, code="C1")
    committee(root, code="C2")
    user = user_with_role(city, "committee", username="city")
    rows = [
        ["C1-K", "甲县团委", "C1", "县级团委", "机关", "", "", ""],
        ["C2-K", "乙县团委", "C2", "县级团委", "机关", "", "", ""],
    ]
    code, _out, err = run(write_xlsx(tmp_path / "orgs.xlsx", COLUMNS, rows), "--as", user.username)
    assert code == 1
    assert set(rejected_lines(err)) == {4}
    assert not Organization.objects.filter(code__in=["C1-K", "C2-K"]).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "空"),
        (b"name,code\n1,2\n", "表头"),  # read as CSV: a table without our columns
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "密码"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "损坏"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "不是表格文件"),
    ],
)
def test_unreadable_files_get_clear_errors(tmp_path, content, message):
    path = tmp_path / "file.xlsx"
    path.write_bytes(content)
    code, _out, err = run(path)
    assert code == 1
    assert message in err


def test_missing_header_is_explained(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", ["名字", "代码"], [["a", "b"]])
    outcome = ORGANIZATION_IMPORT.run(path, dry_run=True)
    assert not outcome.ok
    assert "组织代码" in outcome.errors[0].message


def test_empty_sheet_with_header_only(tmp_path):
    outcome = ORGANIZATION_IMPORT.run(write_xlsx(tmp_path / "x.xlsx", COLUMNS, []), dry_run=True)
    assert not outcome.ok


def test_full_width_digits_in_school_codes_are_made_half_width():
    from branches.validators import normalize_school_code

    assert normalize_school_code(" ３１３５ 0102 ") == "31350102"

"""Every file a user has imports: the same three members from .xlsx, .xls, .ods and CSV in each
encoding, with headers and columns as people and 智慧团建 write them."""

from datetime import date

import openpyxl
import pytest

from members.importing import ROSTER_IMPORT
from members.models import Member
from members.tables import roster
from tests.commands import rejected_lines, rejected_people, run_import
from tests.members.conftest import BIRTH, roster_row, valid_id
from tests.xlsx import write_csv, write_ods, write_xls, write_xlsx

pytestmark = pytest.mark.django_db

THREE = (1, 2, 3)


def three_rows(home):
    return [roster_row(home, n, **{roster.BIRTH_DATE: BIRTH.isoformat()}) for n in THREE]


def assert_three_imported():
    assert sorted(Member.objects.values_list("id_number", flat=True)) == sorted(
        valid_id(n) for n in THREE
    )
    assert set(Member.objects.values_list("join_date", flat=True)) == {date(2019, 5, 4)}


@pytest.mark.parametrize(
    "write",
    [
        lambda path, h, rows: write_xlsx(path.with_suffix(".xlsx"), h, rows),
        lambda path, h, rows: write_xls(path.with_suffix(".xls"), h, rows),
        lambda path, h, rows: write_ods(path.with_suffix(".ods"), h, rows),
        lambda path, h, rows: write_csv(path.with_suffix(".csv"), h, rows, encoding="utf-8"),
        lambda path, h, rows: write_csv(path.with_suffix(".csv"), h, rows, encoding="utf-8-sig"),
        lambda path, h, rows: write_csv(path.with_suffix(".csv"), h, rows, encoding="gb18030"),
    ],
    ids=["xlsx", "xls", "ods", "csv-utf8", "csv-bom", "csv-gb18030"],
)
def test_the_same_three_members_import_from_every_format(tmp_path, small_province, write):
    path = write(tmp_path / "roster", roster.HEADER, three_rows(small_province.branch))
    code, _out, err = run_import("import_members", path)
    assert code == 0, err
    assert_three_imported()


def test_header_cells_match_without_white_space(tmp_path, small_province):
    header = [
        h.replace("姓名", "姓　名").replace("公民身份号码", "公民身份\n号码") for h in roster.HEADER
    ]
    path = write_xlsx(tmp_path / "r.xlsx", header, three_rows(small_province.branch))
    code, _out, err = run_import("import_members", path)
    assert code == 0, err
    assert_three_imported()


def test_header_found_below_row_five_after_an_instructions_sheet(tmp_path, small_province):
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["1. 公民身份号码请设为文本格式"])
    sheet = workbook.create_sheet("名册")
    for line in range(9):
        sheet.append([f"说明第{line + 1}行"])
    sheet.append(list(roster.HEADER))
    for row in three_rows(small_province.branch):
        sheet.append(row)
    workbook.save(tmp_path / "r.xlsx")
    code, _out, err = run_import("import_members", tmp_path / "r.xlsx")
    assert code == 0, err
    assert_three_imported()


def test_unknown_columns_are_ignored_and_listed(tmp_path, small_province):
    header = [*roster.HEADER, "政治面貌", "备注"]
    rows = [[*row, "共青团员", "无"] for row in three_rows(small_province.branch)]
    path = write_xlsx(tmp_path / "r.xlsx", header, rows)
    code, out, err = run_import("import_members", path, "--dry-run")
    assert code == 0, err
    assert "已忽略的列：政治面貌、备注" in out
    assert not Member.objects.exists()


def test_missing_columns_are_named(tmp_path, small_province):
    header = [h for h in roster.HEADER if h not in (roster.JOIN_DATE, roster.PHONE)]
    rows = [
        [v for h, v in zip(roster.HEADER, row, strict=True) if h in header]
        for row in three_rows(small_province.branch)
    ]
    code, _out, err = run_import("import_members", write_xlsx(tmp_path / "r.xlsx", header, rows))
    assert code == 1
    assert "表头缺少以下列：入团时间、联系电话" in err
    assert "共0行" not in err


def test_a_formatted_cell_far_below_the_data_is_not_a_row(tmp_path, small_province):
    path = write_xlsx(tmp_path / "r.xlsx", roster.HEADER, three_rows(small_province.branch))
    workbook = openpyxl.load_workbook(path)
    workbook.active.cell(row=250_000, column=1).number_format = "@"
    workbook.active.cell(row=250_000, column=1).value = ""
    workbook.save(path)
    code, _out, err = run_import("import_members", path)
    assert code == 0, err
    assert_three_imported()


ZHTJ_FIXTURE = __import__("pathlib").Path(__file__).parent / "fixtures" / "zhtj_members.xls"


def test_a_zhtj_export_imports_into_the_secretarys_branch(small_province):
    """智慧团建's column names and words, no organisation codes: the secretary's branch."""
    sp = small_province
    outcome = ROSTER_IMPORT.run(ZHTJ_FIXTURE, user=sp.secretary)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert outcome.ignored_columns == ["政治面貌", "团员状态", "备注"]
    members = Member.objects.order_by("id_number")
    assert [m.branch for m in members] == [sp.branch] * 3
    assert {m.education for m in members} == {"senior_secondary", "undergraduate"}
    assert {m.ethnicity for m in members} == {"01", "22"}
    assert {m.phone for m in members} >= {"13905910002"}


def test_a_committee_must_name_the_organisations(small_province):
    outcome = ROSTER_IMPORT.run(ZHTJ_FIXTURE, user=small_province.county_user)
    assert not outcome.ok
    assert "现所在团支部代码不能为空" in " ".join(e.message for e in outcome.errors)
    assert not Member.objects.exists()


def test_row_errors_name_the_row_the_column_and_the_person(tmp_path, small_province):
    rows = three_rows(small_province.branch)
    rows[1][roster.HEADER.index(roster.PHONE)] = "12345"
    path = write_xlsx(tmp_path / "r.xlsx", roster.HEADER, rows)
    code, _out, err = run_import("import_members", path)
    assert code == 1
    assert rejected_people(err) == {4: "团员2"}
    assert rejected_lines(err)[4][0].startswith("联系电话：")

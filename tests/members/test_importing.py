"""import_members: table 1-1 into the system, all or nothing, rows named as Excel shows them."""

from datetime import date

import openpyxl
import pytest
from django.utils import timezone

from members.importing import ROSTER_IMPORT
from members.models import Member
from members.tables import roster
from tests.commands import rejected_lines
from tests.factories import MemberFactory
from tests.members.conftest import roster_row, valid_id
from tests.members.conftest import run_import_members as run
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db


def roster_file(tmp_path, rows, *, header=roster.HEADER, title="新发展团员名册", name="r.xlsx"):
    return write_xlsx(tmp_path / name, header, rows, title=title)


def test_valid_roster_imports(tmp_path, small_province):
    sp = small_province
    rows = [roster_row(sp.branch, 1), roster_row(sp.other_branch, 2, **{roster.GENDER: "男"})]
    code, out, err = run(roster_file(tmp_path, rows))
    assert code == 0, err
    assert "2" in out
    first = Member.objects.get(id_number=valid_id(1))
    assert first.name == "团员1" and first.gender == "M" and first.ethnicity == "01"
    assert first.education == "undergraduate" and first.identity == "student"
    assert first.birth_date == date(2001, 3, 15) and first.join_date == date(2019, 5, 4)
    assert first.development_number == 201900000001
    assert first.branch == sp.branch and first.developing_organization == sp.branch
    assert first.name_initials == "ty"  # derived fields are refreshed on the bulk path
    assert first.entry_deadline == date(2019, 6, 4) and first.entered_late


def test_without_title_row_and_without_optional_columns(tmp_path, small_province):
    header = tuple(h for h in roster.HEADER if h not in roster.IGNORED_ON_IMPORT)
    full = roster_row(small_province.branch, 1)
    row = [value for column, value in zip(roster.HEADER, full, strict=True) if column in header]
    code, _out, err = run(roster_file(tmp_path, [row], header=header, title=None))
    assert code == 0, err
    assert Member.objects.count() == 1


def test_bad_rows_are_named_and_nothing_is_written(tmp_path, small_province):
    sp = small_province
    rows = [
        roster_row(sp.branch, 1),  # row 3: fine
        roster_row(sp.branch, 2, **{roster.ID_NUMBER: valid_id(2)[:17] + "0"}),  # 4: checksum
        roster_row(sp.branch, 3, **{roster.ETHNICITY: "火星族"}),  # 5: no such people
        roster_row(sp.branch, 4, **{roster.BRANCH_CODE: "NOPE"}),  # 6: unknown branch
        roster_row(sp.branch, 5, **{roster.DEVELOPMENT_NUMBER: ""}),  # 7: number required
        roster_row(sp.branch, 6, **{roster.JOIN_DATE: "2019/13/01"}),  # 8: not a date
        roster_row(sp.branch, 7, **{roster.NAME: ""}),  # 9: name required
        roster_row(sp.branch, 8, **{roster.PHONE: "12345"}),  # 10: phone
        roster_row(sp.branch, 9, **{roster.DEVELOPMENT_NUMBER: "201800000009"}),  # 11: year
        roster_row(sp.branch, 10, **{roster.GENDER: "女"}),  # 12: gender differs from the ID
    ]
    code, _out, err = run(roster_file(tmp_path, rows))
    assert code == 1
    lines = rejected_lines(err)
    assert set(lines) == {4, 5, 6, 7, 8, 9, 10, 11, 12}
    assert "公民身份号码" in lines[4][0] and "校验位" in lines[4][0]
    assert "民族" in lines[5][0] and "火星族" in lines[5][0]
    assert "现所在团支部代码" in lines[6][0] and "NOPE" in lines[6][0]
    assert "发展团员编号" in lines[7][0]
    assert "入团时间" in lines[8][0]
    assert lines[9] == ["姓名：姓名不能为空。"]
    assert "联系电话" in lines[10][0]
    assert "入团年份" in lines[11][0]
    assert "性别" in lines[12][0]
    assert "未导入任何数据" in err
    assert not Member.objects.exists()
    assert not Member.history.exists()


def test_dry_run_writes_nothing(tmp_path, small_province):
    path = roster_file(tmp_path, [roster_row(small_province.branch, 1)])
    code, out, _err = run(path, "--dry-run")
    assert code == 0
    assert not Member.objects.exists() and not Member.history.exists()
    outcome = ROSTER_IMPORT.run(path, dry_run=True)
    assert outcome.ok and outcome.created == 1 and not outcome.written


def test_duplicates_within_the_file(tmp_path, small_province):
    sp = small_province
    rows = [
        roster_row(sp.branch, 1),
        roster_row(sp.branch, 2, **{roster.ID_NUMBER: valid_id(1)}),  # row 4: same ID as 3
        roster_row(sp.branch, 3, **{roster.DEVELOPMENT_NUMBER: "201900000001"}),  # row 5
    ]
    code, _out, err = run(roster_file(tmp_path, rows))
    assert code == 1
    lines = rejected_lines(err)
    assert set(lines) == {4, 5}
    assert "公民身份号码" in lines[4][0] and "第3行" in lines[4][0]
    assert "发展团员编号" in lines[5][0] and "第3行" in lines[5][0]
    assert not Member.objects.exists()


def test_duplicates_against_the_database(tmp_path, small_province):
    sp = small_province
    existing = MemberFactory(branch=sp.foreign_branch)
    rows = [
        roster_row(sp.branch, 1, **{roster.ID_NUMBER: existing.id_number.lower()}),
        roster_row(
            sp.branch,
            2,
            **{
                roster.DEVELOPMENT_NUMBER: existing.development_number_text,
                roster.JOIN_DATE: existing.join_date,
            },
        ),
    ]
    code, _out, err = run(roster_file(tmp_path, rows))
    assert code == 1
    lines = rejected_lines(err)
    assert "系统中已有该公民身份号码的团员" in " ".join(lines[3])
    assert "编号已被使用，请联系上级团组织" in " ".join(lines[4])
    assert Member.objects.count() == 1


@pytest.mark.parametrize("cell", [float(valid_id(1)[:17] + "0"), 350102200103150011, "1.10105E+17"])
def test_an_id_number_excel_made_a_number_is_refused(tmp_path, small_province, cell):
    row = roster_row(small_province.branch, 1, **{roster.ID_NUMBER: cell})
    code, _out, err = run(roster_file(tmp_path, [row]))
    assert code == 1
    assert "存成了数字" in rejected_lines(err)[3][0]
    assert not Member.objects.exists()


def test_development_number_typed_as_a_number_is_read(tmp_path, small_province):
    """A 12-digit number survives Excel's number type intact, so it is accepted."""
    row = roster_row(small_province.branch, 1, **{roster.DEVELOPMENT_NUMBER: 201900000001})
    code, _out, err = run(roster_file(tmp_path, [row]))
    assert code == 0, err
    assert Member.objects.get().development_number == 201900000001


def test_serial_and_entered_at_are_ignored(tmp_path, small_province):
    row = roster_row(
        small_province.branch, 1, **{roster.SERIAL: "abc", roster.ENTERED_AT: date(2001, 1, 1)}
    )
    code, _out, err = run(roster_file(tmp_path, [row]))
    assert code == 0, err
    member = Member.objects.get()
    assert timezone.localdate(member.entered_at) == timezone.localdate()


def test_users_import_only_into_their_own_subtree(tmp_path, small_province):
    sp = small_province
    rows = [
        roster_row(sp.branch, 1),
        roster_row(sp.other_branch, 2),  # row 4: a sibling branch
        roster_row(sp.branch, 3, **{roster.DEVELOPER_CODE: sp.foreign_branch.code}),  # row 5
    ]
    code, _out, err = run(roster_file(tmp_path, rows), "--as", sp.secretary.username)
    assert code == 1
    lines = rejected_lines(err)
    assert set(lines) == {4, 5}
    assert "现所在团支部代码" in lines[4][0] and sp.other_branch.code in lines[4][0]
    assert "发展团组织代码" in lines[5][0]
    assert not Member.objects.exists()
    code, _out, err = run(roster_file(tmp_path, rows[:1], name="ok.xlsx"), "--as", "sec")
    assert code == 0, err


def test_committees_enter_nothing(tmp_path, small_province):
    """Entering members is the secretaries' (and the province's) work, also by import."""
    path = roster_file(tmp_path, [roster_row(small_province.branch, 1)])
    code, _out, err = run(path, "--as", small_province.county_user.username)
    assert code == 1
    assert set(rejected_lines(err)) == {3}


def test_import_history_names_the_importing_user(tmp_path, small_province):
    path = roster_file(tmp_path, [roster_row(small_province.branch, n) for n in (1, 2, 3)])
    code, _out, err = run(path, "--as", "sec")
    assert code == 0, err
    history = Member.history.all()
    assert history.count() == 3
    assert {(h.history_user, h.history_type) for h in history} == {(small_province.secretary, "+")}
    assert {h.history_change_reason for h in history} == {"名册导入"}


def test_missing_column_is_explained(tmp_path, small_province):
    header = [h for h in roster.HEADER if h != roster.PHONE]
    row = roster_row(small_province.branch, 1)[: len(header)]
    code, _out, err = run(roster_file(tmp_path, [row], header=header))
    assert code == 1
    assert "联系电话" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "空"),
        (b"name,code\n1,2\n", "表头"),  # read as CSV: a table without our columns
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "密码"),
    ],
)
def test_unreadable_files_get_clear_errors(tmp_path, content, message):
    path = tmp_path / "file.xlsx"
    path.write_bytes(content)
    code, _out, err = run(path)
    assert code == 1
    assert message in err


@pytest.mark.parametrize("count", [10, 60])
def test_import_queries_do_not_grow_with_rows(
    tmp_path, small_province, count, django_assert_max_num_queries
):
    """The file is checked with a few queries in all and inserted in bulk; the number rules
    add five (three per join year, two per 900 numbers). SQLite takes 999 parameters a
    statement, so 60 members (and their history) need a second insert each."""
    rows = [roster_row(small_province.branch, n) for n in range(1, count + 1)]
    path = roster_file(tmp_path, rows)
    # 27, and the figure roll-ups' upkeep after the bulk insert (a recount per group of the
    # touched organisations, their stored rows, one upsert).
    with django_assert_max_num_queries(38):
        outcome = ROSTER_IMPORT.run(path, user=small_province.secretary)
    assert outcome.ok, outcome.errors
    assert Member.objects.count() == count


def test_excel_dates_and_text_dates_both_read(tmp_path, small_province):
    rows = [
        roster_row(small_province.branch, 1, **{roster.BIRTH_DATE: "2001-03-15"}),
        roster_row(small_province.branch, 2, **{roster.JOIN_DATE: "2019年5月4日"}),
    ]
    code, _out, err = run(roster_file(tmp_path, rows))
    assert code == 0, err
    assert set(Member.objects.values_list("join_date", flat=True)) == {date(2019, 5, 4)}


def test_written_file_is_read_back_with_text_cells(tmp_path, small_province):
    """The test helper writes codes and IDs as text cells, as Excel users are told to."""
    path = roster_file(tmp_path, [roster_row(small_province.branch, 1)])
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(row=3, column=6).data_type == "s"

"""Table 1-1 export: exact header, text cells, inert formulas, one query, and a round trip."""

import io
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from members.importing import ROSTER_IMPORT
from members.models import Member
from members.tables import roster
from reports.tables.base import get_table, table_kinds, write_table
from tests.factories import MemberFactory
from tests.xlsx import read_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "公民身份号码",
    "学历",
    "身份类别",
    "入团时间",
    "发展团员编号",
    "发展团组织",
    "发展团组织代码",
    "现所在团支部",
    "现所在团支部代码",
    "联系电话",
    "录入时间",
]


def export(organization, path, **options):
    out = io.StringIO()
    args = ["roster", "--org", organization.code, "--out", str(path)]
    for name, value in options.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    call_command("export_report", *args, stdout=out)
    return read_xlsx(path)


def test_roster_is_registered():
    assert "roster" in table_kinds()
    assert get_table("roster").options == ("since",)


def test_title_and_exact_header(tmp_path, small_province):
    MemberFactory(branch=small_province.branch)
    rows = export(small_province.city, tmp_path / "r.xlsx")
    assert rows[0][0].startswith("新发展团员名册（甲市团委")
    assert rows[1] == HEADER
    assert list(roster.HEADER) == HEADER


def test_rows_hold_the_subtrees_new_members_as_the_roster_spells_them(tmp_path, small_province):
    sp = small_province
    member = MemberFactory(
        branch=sp.branch,
        name="张晓明",
        ethnicity="22",
        education="master",
        identity="public_servant",
        phone="0591-87517537",
        entered_at=timezone.make_aware(datetime(2019, 6, 1, 23, 30)),
    )
    MemberFactory(branch=sp.foreign_branch)  # another city
    MemberFactory(branch=sp.branch, join_date=date(2016, 5, 1), development_number=None)
    path = tmp_path / "r.xlsx"
    rows = export(sp.city, path)
    assert len(rows) == 3
    assert rows[2] == [
        1,
        "张晓明",
        "男" if member.gender == "M" else "女",
        "畲族",
        datetime.combine(member.birth_date, datetime.min.time()),
        member.id_number,
        "硕士研究生",
        "机关事业单位人员",
        datetime.combine(member.join_date, datetime.min.time()),
        member.development_number_text,
        "甲县第一团支部",
        "C1-K1-B1",
        "甲县第一团支部",
        "C1-K1-B1",
        "0591-87517537",
        datetime(2019, 6, 1),  # the local day of entry
    ]
    sheet = load_workbook(path).active
    for column in (6, 10, 12, 14, 15):  # ID, number, codes, phone: text cells
        assert sheet.cell(row=3, column=column).data_type == "s"
    assert len(sheet.cell(row=3, column=10).value) == 12


def test_since_limits_the_join_years(tmp_path, small_province):
    sp = small_province
    MemberFactory(branch=sp.branch, join_date=date(2018, 5, 1))
    recent = MemberFactory(branch=sp.branch, join_date=date(2019, 5, 1))
    rows = export(sp.branch, tmp_path / "r.xlsx", since=2019)
    assert [row[5] for row in rows[2:]] == [recent.id_number]
    assert "2019年1月1日以来" in rows[0][0]


def test_members_follow_their_current_branch(tmp_path, small_province):
    """The roster of a subtree lists the members now in it, not those it developed."""
    sp = small_province
    moved = MemberFactory(branch=sp.foreign_branch, developing_organization=sp.branch)
    assert export(sp.city, tmp_path / "a.xlsx")[2:] == []
    assert export(sp.other_city, tmp_path / "b.xlsx")[2][5] == moved.id_number


FORMULA_LIKE = [
    '=HYPERLINK("http://x","点我")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "＝1",
    "＋1",
    "－1",
    "＠a",
]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_names_are_written_inert(tmp_path, small_province, text):
    """A name that starts like a formula is a text cell with the quote prefix, not a formula."""
    MemberFactory(branch=small_province.branch, name=text)  # factories skip validation
    path = tmp_path / "r.xlsx"
    export(small_province.branch, path)
    cell = load_workbook(path).active["B3"]
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.quotePrefix is True


@pytest.mark.parametrize("text", ["\t=1+1", "\r=1+1", "=1+1"])
def test_formula_like_organisation_names_are_written_inert(tmp_path, small_province, text):
    """Member names are stripped on save; organisation names reach the sheet as stored."""
    branch = small_province.branch
    branch.name = text
    branch.save()
    MemberFactory(branch=branch)
    path = tmp_path / "r.xlsx"
    export(branch, path)
    sheet = load_workbook(path).active
    for column in ("K", "M"):
        cell = sheet[f"{column}3"]
        assert cell.data_type == "s" and cell.quotePrefix is True
        assert unescape(cell.value) == text


def test_export_is_one_query_whatever_the_size(
    tmp_path, small_province, django_assert_max_num_queries
):
    for _ in range(30):
        MemberFactory(branch=small_province.branch)
    table = get_table("roster")
    # One query for the rows, one insert into the export log.
    with django_assert_max_num_queries(2):
        count = write_table(table, small_province.city, tmp_path / "r.xlsx")
    assert count == 30


def test_export_respects_the_users_scope(tmp_path, small_province):
    MemberFactory(branch=small_province.branch)
    MemberFactory(branch=small_province.other_branch)
    table = get_table("roster")
    count = write_table(
        table, small_province.branch, tmp_path / "r.xlsx", user=small_province.secretary
    )
    assert count == 1
    assert table.count(small_province.county, user=small_province.secretary) == 1
    assert table.count(small_province.county) == 2


def test_export_import_export_gives_identical_rows(tmp_path, small_province):
    sp = small_province
    for index in range(12):
        MemberFactory(
            branch=sp.branch if index % 2 else sp.other_branch,
            ethnicity=f"{index % 56 + 1:02d}",
            education="junior_college",
            phone="0591-87517537" if index % 3 else "13800138000",
        )
    MemberFactory(branch=sp.branch, name="=1+1")
    first = export(sp.province, tmp_path / "first.xlsx")
    Member.history.all().delete()
    Member.objects.all().delete()
    outcome = ROSTER_IMPORT.run(tmp_path / "first.xlsx", user=sp.province_user)
    assert outcome.ok, outcome.errors
    assert outcome.created == 13
    second = export(sp.province, tmp_path / "second.xlsx")
    assert second == first

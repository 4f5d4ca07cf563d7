"""A small official table for tests of stamping, exports and submissions."""

from members.models import Member
from reports.tables.base import TABLES, OfficialTable
from spreadsheets.writer import Column, Kind

COLUMNS = (
    Column("序号", Kind.INTEGER),
    Column("姓名"),
    Column("公民身份号码"),
    Column("入团时间", Kind.DATE),
    Column("录入时间", Kind.DATETIME),
    Column("比例", Kind.PERCENT),
    Column("备注"),
)


def rows(organization, user=None, **options):
    members = (
        Member.objects.filter(branch__path__startswith=organization.path)
        .order_by("id")
        .values_list("name", "id_number", "join_date", "entered_at")
    )
    for index, (name, id_number, join_date, entered_at) in enumerate(members.iterator(), start=1):
        yield [
            index,
            name,
            id_number,
            join_date,
            entered_at,
            index / 8,
            '=HYPERLINK("x")' if index == 1 else "",
        ]


def count(organization, user=None, **options):
    return Member.objects.filter(branch__path__startswith=organization.path).count()


PEOPLE = OfficialTable(
    kind="test_people",
    title=lambda organization, **options: f"测试名册（{organization.name}）",
    columns=COLUMNS,
    rows=rows,
    count=count,
)


def register_test_table():
    TABLES[PEOPLE.kind] = PEOPLE
    return PEOPLE

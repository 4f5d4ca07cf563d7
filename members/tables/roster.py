"""Table 1-1, the roster of new members (新发展团员名册): its columns, defined once.

The export (``reports/tables/roster.py`` and the admin's export button) writes these
columns and the import (``members/importing.py``) reads them, so the two cannot drift apart: a
roster exported from the system imports back unchanged.

Choices are written by their Chinese labels (性别 男/女, 民族 汉族, ...), dates as Excel dates,
and ID numbers, development numbers (12 digits), codes and phone numbers as text. 录入时间 is the
day the record was entered, kept by the system: the import ignores it, as it ignores 序号.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from branches import access
from members.choices import Education, Ethnicity, Gender, Identity
from members.models import Member
from spreadsheets.widgets import chinese_labels
from spreadsheets.writer import Column, Kind

SERIAL = "序号"
NAME = "姓名"
GENDER = "性别"
ETHNICITY = "民族"
BIRTH_DATE = "出生日期"
ID_NUMBER = "公民身份号码"
EDUCATION = "学历"
IDENTITY = "身份类别"
JOIN_DATE = "入团时间"
DEVELOPMENT_NUMBER = "发展团员编号"
DEVELOPER = "发展团组织"
DEVELOPER_CODE = "发展团组织代码"
BRANCH = "现所在团支部"
BRANCH_CODE = "现所在团支部代码"
PHONE = "联系电话"
ENTERED_AT = "录入时间"

TITLE = "新发展团员名册"


@dataclass(frozen=True)
class RosterColumn:
    """One column of table 1-1.

    ``source`` is the ``values_list`` lookup the export reads (None for 序号); ``field`` the
    member field the column names in forms and messages (None when only people read it);
    ``choices`` the ``TextChoices`` written by Chinese label.
    """

    header: str
    source: str | None
    field: str | None
    kind: str = Kind.TEXT
    width: float = 14
    choices: type | None = None
    #: what 智慧团建 and other templates call the same column
    aliases: tuple = ()

    @property
    def writer_column(self):
        return Column(self.header, self.kind, self.width)


COLUMNS = (
    RosterColumn(SERIAL, None, None, Kind.INTEGER, 6),
    RosterColumn(NAME, "name", "name", width=10, aliases=("团员姓名",)),
    RosterColumn(GENDER, "gender", "gender", width=6, choices=Gender),
    RosterColumn(ETHNICITY, "ethnicity", "ethnicity", width=10, choices=Ethnicity),
    RosterColumn(
        BIRTH_DATE, "birth_date", "birth_date", Kind.DATE, 12, aliases=("出生年月日", "出生年月")
    ),
    RosterColumn(
        ID_NUMBER,
        "id_number",
        "id_number",
        width=21,
        aliases=("身份证号", "身份证号码", "公民身份证号码", "证件号码"),
    ),
    RosterColumn(
        EDUCATION,
        "education",
        "education",
        width=12,
        choices=Education,
        aliases=("文化程度", "最高学历", "全日制学历"),
    ),
    RosterColumn(
        IDENTITY, "identity", "identity", width=16, choices=Identity, aliases=("职业", "人员类别")
    ),
    RosterColumn(
        JOIN_DATE,
        "join_date",
        "join_date",
        Kind.DATE,
        12,
        aliases=("入团日期", "入团年月", "支部大会通过日期"),
    ),
    RosterColumn(
        DEVELOPMENT_NUMBER,
        "development_number",
        "development_number",
        width=15,
        aliases=("团员编号", "入团编号"),
    ),
    RosterColumn(DEVELOPER, "developing_organization__name", None, width=24),
    RosterColumn(
        DEVELOPER_CODE, "developing_organization__code", "developing_organization", width=16
    ),
    RosterColumn(
        BRANCH, "branch__name", None, width=24, aliases=("所在团支部", "所在团组织", "所在支部")
    ),
    RosterColumn(BRANCH_CODE, "branch__code", "branch", width=16, aliases=("所在团支部代码",)),
    RosterColumn(
        PHONE, "phone", "phone", width=15, aliases=("手机号码", "手机号", "手机", "联系方式")
    ),
    RosterColumn(ENTERED_AT, "entered_at", None, Kind.DATE, 12),
)

HEADER = tuple(column.header for column in COLUMNS)
WRITER_COLUMNS = tuple(column.writer_column for column in COLUMNS)
#: columns an imported roster may leave out: the import ignores them
IGNORED_ON_IMPORT = (SERIAL, ENTERED_AT, DEVELOPER, BRANCH)
#: columns a secretary's roster may leave out: they default to the secretary's branch
DEFAULTED_ON_IMPORT = (DEVELOPER_CODE, BRANCH_CODE)
REQUIRED_ON_IMPORT = tuple(
    h for h in HEADER if h not in IGNORED_ON_IMPORT and h not in DEFAULTED_ON_IMPORT
)
#: other names of the columns (alias -> column), 智慧团建's among them
ALIASES = {alias: column.header for column in COLUMNS for alias in column.aliases}
#: member field -> its column header, so that messages name the column the user sees
FIELD_HEADERS = {column.field: column.header for column in COLUMNS if column.field}


def default_since():
    """The first join date of a new member (新发展团员)."""
    return settings.YOUTHLEAGUE["NEW_MEMBER_SINCE"]


def since_date(since=None):
    """The first join date to list: ``since`` is a year (``--since 2018``) or None."""
    if since in (None, ""):
        return default_since()
    if isinstance(since, datetime.date):
        return since
    return datetime.date(int(since), 1, 1)


def roster_queryset(organization, *, user=None, since=None):
    """Members whose current branch lies in ``organization``'s subtree and who joined since
    ``since`` (default: every new member), within ``user``'s scope when given."""
    queryset = Member.objects.in_subtree(organization).filter(join_date__gte=since_date(since))
    if user is not None:
        queryset = access.scope_queryset(user, queryset, via="branch__")
    # Ordered by content alone, so that a roster imported elsewhere exports in the same order.
    return queryset.order_by(F("development_number").asc(nulls_first=True), "id_number")


def roster_title(organization, *, since=None):
    first = since_date(since)
    return f"{TITLE}（{organization.name}，{first.year}年{first.month}月{first.day}日以来入团）"


def _renderers():
    """One function per column turning a stored value into the cell the roster shows."""
    labels = {
        column.header: {value: label for label, value in chinese_labels(column.choices).items()}
        for column in COLUMNS
        if column.choices is not None
    }

    def plain(value):
        return value

    def text(value):
        return "" if value is None else str(value)

    def number_text(value):
        return "" if value is None else f"{value:012d}"

    def local_day(value):
        return timezone.localdate(value) if value is not None else None

    renderers = []
    for column in COLUMNS:
        if column.header in labels:
            renderers.append(labels[column.header].get)
        elif column.header == DEVELOPMENT_NUMBER:
            renderers.append(number_text)
        elif column.header == ENTERED_AT:
            renderers.append(local_day)
        elif column.kind == Kind.DATE:
            renderers.append(plain)
        else:
            renderers.append(text)
    return renderers


def roster_rows(queryset, *, chunk_size=2000):
    """The roster's rows, in column order, from ONE query over ``queryset``."""
    sources = [column.source for column in COLUMNS[1:]]
    renderers = _renderers()[1:]
    values = queryset.values_list(*sources).iterator(chunk_size=chunk_size)
    for serial, record in enumerate(values, start=1):
        yield [serial, *(render(value) for render, value in zip(renderers, record, strict=True))]

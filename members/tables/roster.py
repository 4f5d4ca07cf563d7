"""Table 1-1, the roster of new members (新发展团员名册): its columns, defined once.

The export (``export_report roster``, the report downloads and the admin's export button, all
through the table registered here) writes these
columns and the import (``members/importing.py``) reads them, so the two cannot drift apart: a
roster exported from the system imports back unchanged.

Choices are written by their Chinese labels (性别 男/女, 民族 汉族, ...), dates as Excel dates,
and ID numbers, development numbers (12 digits), codes and phone numbers as text. 录入时间 is the
day the record was entered, kept by the system: the import ignores it, as it ignores 序号.
"""

import datetime
import functools
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from branches import access
from members import validators, vocabularies
from members.choices import Education, Ethnicity, Gender, Identity
from members.models import Member
from spreadsheets import columns
from spreadsheets.columns import TableColumn
from spreadsheets.reader import as_text
from spreadsheets.tables import OfficialTable, register
from spreadsheets.widgets import ChoiceLabelWidget, DateWidget, TextWidget, chinese_labels
from spreadsheets.writer import Kind

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


# --- reading a cell -------------------------------------------------------------------------------

# Excel's display of a long number it has rounded: 1.10105E+17
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")


def _excel_number_error():
    return _(
        "Excel stored this ID number as a number and lost its last digits. Format the column "
        "as text and type the ID numbers again."
    )


def id_number_from_cell(value):
    """The ID number of a cell as text; refuses one that Excel turned into a number."""
    if isinstance(value, (int, float)) or _SCIENTIFIC.match(as_text(value)):
        raise ValueError(_excel_number_error())
    return validators.normalize_id_number(as_text(value))


def development_number_from_cell(value):
    """The development number of a cell, or None; ValueError when malformed."""
    try:
        return validators.parse_development_number(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None


class IdNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return id_number_from_cell(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class DevelopmentNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return development_number_from_cell(value)

    def render(self, value, obj=None, **kwargs):
        return validators.format_development_number(value)


def vocabulary_widget(choices, *, label):
    """A fixed list read by its Chinese labels and by what people and 智慧团建 write for them."""
    return ChoiceLabelWidget(
        choices, label=label, synonyms=functools.partial(vocabularies.synonyms_for, choices)
    )


class EthnicityField(fields.Field):
    """民族: a people outside the 56 (穿青人) is recorded as 其他 with its name kept."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        super().save(instance, row, is_m2m, **kwargs)
        text = as_text(row.get(self.column_name))
        instance.ethnicity_note = vocabularies.ethnicity_note(text, instance.ethnicity)


def _choice_labels(choices):
    """A choice's stored value -> its Chinese label (None for a value without one)."""
    return {value: label for label, value in chinese_labels(choices).items()}.get


def _vocabulary(choices, header):
    return {
        "choices": choices,
        "widget": functools.partial(vocabulary_widget, choices, label=header),
        "render": _choice_labels(choices),
    }


def _local_day(value):
    return timezone.localdate(value) if value is not None else None


# --- the columns -----------------------------------------------------------------------------------

COLUMNS = (
    TableColumn(SERIAL, kind=Kind.INTEGER, width=6),
    TableColumn(NAME, "name", "name", width=10, widget=TextWidget, aliases=("团员姓名",)),
    TableColumn(GENDER, "gender", "gender", width=6, **_vocabulary(Gender, GENDER)),
    TableColumn(
        ETHNICITY,
        "ethnicity",
        "ethnicity",
        width=10,
        field_class=EthnicityField,
        **_vocabulary(Ethnicity, ETHNICITY),
    ),
    TableColumn(
        BIRTH_DATE,
        "birth_date",
        "birth_date",
        Kind.DATE,
        12,
        widget=DateWidget,
        aliases=("出生年月日", "出生年月"),
    ),
    TableColumn(
        ID_NUMBER,
        "id_number",
        "id_number",
        width=21,
        widget=IdNumberWidget,
        aliases=("身份证号", "身份证号码", "公民身份证号码", "证件号码"),
    ),
    TableColumn(
        EDUCATION,
        "education",
        "education",
        width=12,
        aliases=("文化程度", "最高学历", "全日制学历"),
        **_vocabulary(Education, EDUCATION),
    ),
    TableColumn(
        IDENTITY,
        "identity",
        "identity",
        width=16,
        aliases=("职业", "人员类别"),
        **_vocabulary(Identity, IDENTITY),
    ),
    TableColumn(
        JOIN_DATE,
        "join_date",
        "join_date",
        Kind.DATE,
        12,
        widget=DateWidget,
        aliases=("入团日期", "入团年月", "支部大会通过日期"),
    ),
    TableColumn(
        DEVELOPMENT_NUMBER,
        "development_number",
        "development_number",
        width=15,
        widget=DevelopmentNumberWidget,
        render=validators.format_development_number,
        aliases=("团员编号", "入团编号"),
    ),
    TableColumn(DEVELOPER, "developing_organization__name", width=24),
    TableColumn(
        DEVELOPER_CODE, "developing_organization__code", "developing_organization", width=16
    ),
    TableColumn(BRANCH, "branch__name", width=24, aliases=("所在团支部", "所在团组织", "所在支部")),
    TableColumn(BRANCH_CODE, "branch__code", "branch", width=16, aliases=("所在团支部代码",)),
    TableColumn(
        PHONE,
        "phone",
        "phone",
        width=15,
        widget=TextWidget,
        aliases=("手机号码", "手机号", "手机", "联系方式"),
    ),
    TableColumn(ENTERED_AT, "entered_at", kind=Kind.DATE, width=12, render=_local_day),
)

#: the member fields the import reads from the file (the organisations come by code, apart)
IMPORTED_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "education",
    "identity",
    "join_date",
    "development_number",
    "phone",
)

HEADER = columns.header(COLUMNS)
WRITER_COLUMNS = columns.writer_columns(COLUMNS)
#: columns an imported roster may leave out: the import ignores them
IGNORED_ON_IMPORT = (SERIAL, ENTERED_AT, DEVELOPER, BRANCH)
#: columns a secretary's roster may leave out: they default to the secretary's branch
DEFAULTED_ON_IMPORT = (DEVELOPER_CODE, BRANCH_CODE)
REQUIRED_ON_IMPORT = tuple(
    h for h in HEADER if h not in IGNORED_ON_IMPORT and h not in DEFAULTED_ON_IMPORT
)
#: other names of the columns (alias -> column), 智慧团建's among them
ALIASES = columns.aliases(COLUMNS)
#: member field -> its column header, so that messages name the column the user sees
FIELD_HEADERS = columns.field_headers(COLUMNS)


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


def roster_rows(queryset, *, chunk_size=2000):
    """The roster's rows, in column order, from ONE query over ``queryset``."""
    values = queryset.values_list(*columns.sources(COLUMNS)).iterator(chunk_size=chunk_size)
    yield from columns.rows_from_values(COLUMNS, values)


def _rows(organization, user=None, since=None):
    return roster_rows(roster_queryset(organization, user=user, since=since))


def _count(organization, user=None, since=None):
    return roster_queryset(organization, user=user, since=since).count()


def _title(organization, since=None):
    return roster_title(organization, since=since)


ROSTER = register(
    OfficialTable(
        kind="roster",
        title=_title,
        columns=WRITER_COLUMNS,
        rows=_rows,
        count=_count,
        options=("since",),
        label=gettext_lazy("Roster of new members (table 1-1)"),
    )
)

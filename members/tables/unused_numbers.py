"""未使用编号登记表: the unused-number register of one organisation's subtree, its columns
declared once for the export (registered here) and the import (``members/numbers/importing.py``).

One row per number (a registered span gives one row for each of its numbers), so that
发展团员编号 is always a single 12-digit number written as text. Rows stream from one query.
"""

from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches import access
from members.models import NumberStatus, UnusedNumber, format_number, format_span
from spreadsheets import columns
from spreadsheets.columns import TableColumn
from spreadsheets.tables import OfficialTable, register
from spreadsheets.widgets import TextWidget, chinese_label
from spreadsheets.writer import Kind

SERIAL = "序号"
NUMBER = "发展团员编号"
SPAN = "号段"
OWNER = "所属团组织"
STATUS = "状态"
EXPLANATION = "情况说明"
REGISTERED_AT = "登记时间"

COLUMNS = (
    TableColumn(SERIAL, kind=Kind.INTEGER, width=8),
    # one number or a span on import; the import parses it (members/numbers/importing.py)
    TableColumn(NUMBER, "first", "first", width=16, required=True),
    TableColumn(SPAN, "number_range__first", width=28),
    TableColumn(OWNER, "organization__name", width=30),
    TableColumn(STATUS, "status", "status", width=10, choices=NumberStatus, required=True),
    TableColumn(
        EXPLANATION, "explanation", "explanation", width=40, widget=TextWidget, required=True
    ),
    TableColumn(REGISTERED_AT, "registered_at", kind=Kind.DATETIME, width=18),
)
HEADER = columns.header(COLUMNS)
REQUIRED = columns.required(COLUMNS)


def entries(organization, user=None):
    """Register entries owned in ``organization``'s subtree, within ``user``'s scope."""
    queryset = UnusedNumber.objects.filter(organization__path__startswith=organization.path)
    if user is not None:
        queryset = access.scope_queryset(user, queryset, via="organization__")
    return queryset


def rows(organization, user=None, **options):
    labels = {value: chinese_label(NumberStatus, value) for value in NumberStatus.values}
    records = (
        entries(organization, user)
        .order_by("first")
        .values_list(
            "first",
            "last",
            "number_range__first",
            "number_range__last",
            "organization__name",
            "status",
            "explanation",
            "registered_at",
        )
        .iterator(chunk_size=2000)
    )
    serial = 0
    for first, last, range_first, range_last, owner, status, explanation, at in records:
        span = format_span(range_first, range_last)
        registered_at = timezone.localtime(at)
        for number in range(first, last + 1):
            serial += 1
            yield [
                serial,
                format_number(number),
                span,
                owner,
                labels[status],
                explanation,
                registered_at,
            ]


def count(organization, user=None, **options):
    return entries(organization, user).aggregate(n=Coalesce(Sum(F("last") - F("first") + 1), 0))[
        "n"
    ]


def title(organization, **options):
    return f"{organization.name}未使用编号登记表"


TABLE = register(
    OfficialTable(
        kind="unused_numbers",
        title=title,
        columns=columns.writer_columns(COLUMNS),
        rows=rows,
        count=count,
        label=_("Unused-number register"),
    )
)

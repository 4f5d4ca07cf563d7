"""未使用编号登记表: the unused-number register of one organisation's subtree.

One row per number (a registered span gives one row for each of its numbers), so that
发展团员编号 is always a single 12-digit number written as text. Rows stream from one query.
"""

from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches import access
from members.models import NumberStatus, UnusedNumber, format_number, format_span
from reports.tables.base import OfficialTable, register
from spreadsheets.widgets import chinese_label
from spreadsheets.writer import Column, Kind

COLUMNS = (
    Column("序号", Kind.INTEGER, 8),
    Column("发展团员编号", width=16),
    Column("号段", width=28),
    Column("所属团组织", width=30),
    Column("状态", width=10),
    Column("情况说明", width=40),
    Column("登记时间", Kind.DATETIME, 18),
)


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
        columns=COLUMNS,
        rows=rows,
        count=count,
        label=_("Unused-number register"),
    )
)

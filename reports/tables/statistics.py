"""团内统计表: the annual statistics of one organisation's children against last year.

One row per organisation and figure (the children, then the organisation's own total), so that
the header is fixed whatever the figures; a decline that needs an explanation carries it.
"""

from django.utils.translation import gettext_lazy as _

from branches import access
from reports.statistics.comparison import current_year, statistics_for
from reports.statistics.figures import FIGURES
from reports.tables.base import OfficialTable, register
from spreadsheets.writer import Column, Kind

COLUMNS = (
    Column("序号", Kind.INTEGER, 6),
    Column("组织代码", Kind.TEXT, 14),
    Column("组织名称", Kind.TEXT, 28),
    Column("统计项目", Kind.TEXT, 26),
    Column("本年数", Kind.INTEGER, 10),
    Column("上年数", Kind.INTEGER, 10),
    Column("增减", Kind.INTEGER, 10),
    Column("增减比例", Kind.PERCENT, 10),
    Column("需说明", Kind.TEXT, 8),
    Column("情况说明", Kind.TEXT, 40),
)


def statistics_year(year):
    """The year asked for, or the current year for anything that is not a plausible year."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        return current_year()
    return year if 2000 <= year <= 2100 else current_year()


def title(organization, year=None, declines=None, **options):
    what = "需说明的下降" if declines else "团内统计表"
    return f"{statistics_year(year)}年{what}（{organization.name}）"


def rows(organization, user=None, year=None, declines=None, **options):
    """Every figure, or with ``declines`` only those that fell beyond the threshold (the
    declines page's rows)."""
    if user is not None and not access.is_in_scope(user, organization):
        return
    serial = 0
    for line in statistics_for(organization, statistics_year(year)).lines:
        name = f"{line.organization.name}（合计）" if line.is_total else line.organization.name
        for comparison in line.declines if declines else line.comparisons:
            serial += 1
            yield [
                serial,
                line.organization.code,
                name,
                str(comparison.figure.label),
                comparison.current,
                comparison.previous,
                comparison.change,
                comparison.change_ratio,
                "是" if comparison.needs_explanation else "",
                comparison.explanation.text if comparison.explanation else "",
            ]


def count(organization, user=None, year=None, **options):
    from branches.models import Organization

    return (Organization.objects.children_of(organization).current().count() + 1) * len(FIGURES)


STATISTICS = register(
    OfficialTable(
        kind="statistics",
        title=title,
        columns=COLUMNS,
        rows=rows,
        count=count,
        options=("year", "declines"),
        label=_("Annual statistics against last year"),
    )
)

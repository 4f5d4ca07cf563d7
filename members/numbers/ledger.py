"""The number ledger (编号台账): where every number of every range is.

A range's numbers become accountable once their year is over (by default when the year ends;
a campaign counts its own years, see :attr:`reports.models.Campaign.number_years`). Until then
an unused number of an open range is available (可用), not unaccounted (无下落).

Figures per organisation, over the ranges it holds (which contain those it handed on), counting
accountable ranges only:

* ``numbers_total``: numbers in its accountable ranges;
* ``numbers_used``: of those, numbers a member holds;
* ``numbers_explained``: numbers registered as unused, voided or lost;
* ``numbers_unaccounted`` = total − used − explained (issued numbers whose member is not entered
  yet are among them: the member still has to be entered);
* ``entry_ratio`` = used / (total − explained), None when that is 0;
* ``numbers_available``: numbers of open ranges (whose year is not over) that no member holds
  and no register entry covers. A campaign's figures count the years it covers in full and
  nothing else, so for a campaign it is 0.

Each figure set is one grouped query whatever the size of the tree: the ranges' stored counts
(:mod:`members.tallies`) are summed per holder, each sum filtered by the ranges' years.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Func, IntegerField, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from branches.models import Organization
from members.models import (
    IssuedNumber,
    Member,
    NumberRange,
    UnusedNumber,
)
from members.models.numbers import YEAR_DIVISOR

FIGURES = (
    "numbers_total",
    "numbers_used",
    "numbers_explained",
    "numbers_unaccounted",
    "entry_ratio",
    "numbers_available",
)


class CountAll(Func):
    """COUNT(*) without GROUP BY, for a correlated subquery."""

    template = "COUNT(*)"
    output_field = IntegerField()


class SumOf(Func):
    """SUM(expression) without GROUP BY, for a correlated subquery."""

    function = "SUM"
    output_field = IntegerField()


@dataclass(frozen=True)
class Years:
    """Which ranges the figures count: the accountable years ``first``..``last`` (``first``
    None: from the beginning), and the open years from ``open_from`` on, whose unused numbers
    are available. A campaign's figures count its own years only (``open_from`` None)."""

    first: int | None
    last: int
    open_from: int | None

    def _between(self, prefix, low, high):
        """Ranges whose year lies in [low, high] (either end None: unbounded)."""
        condition = Q()
        if low is not None:
            condition &= Q(**{f"{prefix}first__gte": low * YEAR_DIVISOR})
        if high is not None:
            condition &= Q(**{f"{prefix}first__lt": (high + 1) * YEAR_DIVISOR})
        return condition

    def accountable(self, prefix=""):
        return self._between(prefix, self.first, self.last)

    def available(self, prefix=""):
        return self._between(prefix, self.open_from, None)

    def is_open(self, year):
        return self.open_from is not None and year >= self.open_from


def years_for(campaign=None, today=None):
    """The years counted: a campaign's own, or by default every year that is over (and the
    open years, for their available numbers)."""
    if campaign is not None:
        first, last = campaign.number_years
        return Years(first=first, last=last, open_from=None)
    this_year = (today or timezone.localdate()).year
    return Years(first=None, last=this_year - 1, open_from=this_year)


def _range_figures(years, prefix=""):
    """Aggregates of the ranges reached through ``prefix`` (``"number_ranges__"`` or empty).

    Used and registered numbers come from the counts each range stores (kept exact by
    :mod:`members.tallies`), so a province's figures need not count its members again.
    """
    size = F(f"{prefix}last") - F(f"{prefix}first") + 1
    used, explained = F(f"{prefix}used_count"), F(f"{prefix}explained_count")

    def total(expression, condition):
        return Coalesce(Sum(expression, filter=condition), 0, output_field=IntegerField())

    counted = years.accountable(prefix)
    figures = {
        "numbers_total": total(size, counted),
        "numbers_used": total(used, counted),
        "numbers_explained": total(explained, counted),
    }
    if years.open_from is not None:
        figures["numbers_available"] = total(size - used - explained, years.available(prefix))
    return figures


def with_ratio(figures):
    """Complete total/used/explained with ``numbers_unaccounted`` and ``entry_ratio``."""
    total, used, explained = (
        figures["numbers_total"],
        figures["numbers_used"],
        figures["numbers_explained"],
    )
    figures["numbers_unaccounted"] = total - used - explained
    denominator = total - explained
    figures["entry_ratio"] = used / denominator if denominator else None
    figures.setdefault("numbers_available", 0)
    return figures


def _ledger(organizations, key="pk", *, campaign=None, today=None):
    aggregates = _range_figures(years_for(campaign, today), "number_ranges__")
    rows = organizations.order_by().values(key).annotate(**aggregates).values_list(key, *aggregates)
    return {
        name: with_ratio(
            {field: int(value) for field, value in zip(aggregates, values, strict=True)}
        )
        for name, *values in rows
    }


def ledger_by_path(organizations, *, campaign=None, today=None):
    """``{organisation path: figures}`` for a queryset of organisations, in one query."""
    return _ledger(organizations, key="path", campaign=campaign, today=today)


def ledger_by_child(parent, *, campaign=None, today=None):
    """``{organisation id: figures}`` for every child of ``parent``, in one query."""
    return _ledger(Organization.objects.children_of(parent), campaign=campaign, today=today)


def ledger_for(organization, *, campaign=None, today=None):
    """The figures of one organisation, in one query."""
    return _ledger(Organization.objects.filter(pk=organization.pk), campaign=campaign, today=today)[
        organization.pk
    ]


@dataclass(frozen=True)
class YearFigures:
    """One year of an organisation's ranges as the ledger page shows it."""

    year: int
    is_open: bool
    total: int
    used: int
    explained: int

    @property
    def unused(self):
        """Available numbers of an open year, unaccounted numbers of a closed one."""
        return self.total - self.used - self.explained


def ledger_years(organization, *, today=None):
    """The organisation's ranges year by year, newest first, in one query."""
    years = years_for(today=today)
    rows = (
        organization.number_ranges.order_by()
        .annotate(number_year=F("first") / YEAR_DIVISOR)
        .values("number_year")
        .annotate(
            total=Sum(F("last") - F("first") + 1),
            used=Sum("used_count"),
            explained=Sum("explained_count"),
        )
        .values_list("number_year", "total", "used", "explained")
    )
    return sorted(
        (
            YearFigures(
                year=int(year),
                is_open=years.is_open(int(year)),
                total=int(total),
                used=int(used),
                explained=int(explained),
            )
            for year, total, used, explained in rows
        ),
        key=lambda row: -row.year,
    )


def figures_of_years(rows):
    """The ledger figures (:data:`FIGURES`) of an organisation from its :func:`ledger_years`."""
    closed = [row for row in rows if not row.is_open]
    return with_ratio(
        {
            "numbers_total": sum(row.total for row in closed),
            "numbers_used": sum(row.used for row in closed),
            "numbers_explained": sum(row.explained for row in closed),
            "numbers_available": sum(row.unused for row in rows if row.is_open),
        }
    )


# --- spans of numbers without a whereabouts ----------------------------------------------------

_GAPS_SQL = """
WITH taken(s, e) AS ({taken}),
edges AS (
    SELECT s, MAX(e) OVER (ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM taken
)
SELECT COALESCE(prev_end, %s) + 1, s - 1 FROM edges WHERE s > COALESCE(prev_end, %s) + 1
UNION ALL
SELECT COALESCE(m, %s) + 1, %s FROM (SELECT MAX(e) AS m FROM taken) AS tail WHERE COALESCE(m, %s) < %s
ORDER BY 1
LIMIT %s
"""


def _taken_sql(first, last, *, issued, handed_on_level):
    """The parts of [first, last] that have a whereabouts, as a UNION of (start, end) rows."""
    quote = connection.ops.quote_name
    member = Member._meta
    number = quote(member.get_field("development_number").column)
    parts = [
        (
            f"SELECT {number}, {number} FROM {quote(member.db_table)} "
            f"WHERE {number} >= %s AND {number} <= %s",
            [first, last],
        ),
        (
            f'SELECT "first", "last" FROM {quote(UnusedNumber._meta.db_table)} '
            f'WHERE "first" >= %s AND "last" <= %s',
            [first, last],
        ),
    ]
    if issued:
        parts.append(
            (
                f"SELECT number, number FROM {quote(IssuedNumber._meta.db_table)} "
                f"WHERE number >= %s AND number <= %s",
                [first, last],
            )
        )
    if handed_on_level is not None:
        parts.append(
            (
                f'SELECT "first", "last" FROM {quote(NumberRange._meta.db_table)} '
                f'WHERE level = %s AND "first" >= %s AND "last" <= %s',
                [handed_on_level, first, last],
            )
        )
    return " UNION ALL ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def free_spans(first, last, *, limit, issued=False, handed_on_level=None):
    """Spans of [first, last] that no member uses and no register entry covers, lowest first.

    With ``issued`` issued numbers count as taken; with ``handed_on_level`` so do the ranges of
    that tree level inside [first, last] (the ones handed on to children). The database finds
    the gaps with a window over the sorted taken spans, so nothing is loaded into memory.
    """
    taken, params = _taken_sql(first, last, issued=issued, handed_on_level=handed_on_level)
    below = first - 1
    sql = _GAPS_SQL.format(taken=taken)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, below, below, below, last, below, last, limit])
        return [(int(a), int(b)) for a, b in cursor.fetchall()]


SPANS_SHOWN = 500


def unaccounted_spans(organization, *, limit=SPANS_SHOWN, today=None):
    """Spans of numbers in ``organization``'s closed ranges with no whereabouts, lowest first.

    Ranges of a year that is not over are left out: their free numbers are available, not
    unaccounted. One query per range the organisation holds (a handful: one or two per year).
    """
    spans = []
    closed = years_for(today=today).accountable()
    for number_range in organization.number_ranges.filter(closed).order_by("first"):
        if len(spans) >= limit:
            break
        spans.extend(free_spans(number_range.first, number_range.last, limit=limit - len(spans)))
    return spans

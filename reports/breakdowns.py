"""Breakdowns of a committee's active members by one or two of their attributes (团员构成).

One grouped query answers a whole page: the active members of the subtree are grouped by the
path prefix naming the child they sit under and by the chosen dimensions, so the cost is one
query per level whatever the number of children (tests pin it). Totals are sums of those rows.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from members.choices import Education, Ethnicity, Gender, Identity
from members.models import Member
from members.models.member import years_before
from reports.metrics.base import level_key

VIA = "branch__"

#: Age bands: (key, label, youngest age in the band); the last band has no upper bound.
AGE_BANDS = (
    ("under_18", _("under 18"), 0),
    ("18_22", _("18 to 22"), 18),
    ("23_25", _("23 to 25"), 23),
    ("26_27", _("26 to 27"), 26),
    ("28_up", _("28 and over"), 28),
)


def _choice_labels(choices):
    return lambda values: dict(choices.choices)


def _age_expression(today):
    """The age band of each member on ``today``: a member aged N or more was born on or before
    ``today`` N years earlier."""
    whens = [
        When(birth_date__lte=years_before(today, youngest), then=Value(key))
        for key, _label, youngest in reversed(AGE_BANDS[1:])
    ]
    return Case(*whens, default=Value(AGE_BANDS[0][0]), output_field=CharField())


@dataclass(frozen=True)
class Dimension:
    """An attribute members are counted by: its name in URLs, its label, the expression giving
    each member's value, and the labels of the values in the order they are shown."""

    name: str
    label: object
    expression: object  # callable(today) -> expression over Member
    value_labels: object  # callable(values present) -> {value: label}, in display order

    def ordered(self, values):
        """``values`` (those present) in display order, with their labels."""
        labels = self.value_labels(values)
        known = [(value, label) for value, label in labels.items() if value in values]
        unknown = sorted((v for v in values if v not in labels), key=lambda v: (v is None, v))
        return known + [(value, "—" if value is None else str(value)) for value in unknown]


DIMENSIONS = (
    Dimension(
        "ethnicity",
        _("ethnicity"),
        lambda today: F("ethnicity"),
        _choice_labels(Ethnicity),
    ),
    Dimension(
        "education",
        _("education"),
        lambda today: F("education"),
        _choice_labels(Education),
    ),
    Dimension(
        "identity",
        _("identity"),
        lambda today: F("identity"),
        _choice_labels(Identity),
    ),
    Dimension(
        "age",
        _("age band"),
        _age_expression,
        lambda values: {key: label for key, label, _youngest in AGE_BANDS},
    ),
    Dimension("gender", _("gender"), lambda today: F("gender"), _choice_labels(Gender)),
    Dimension(
        "sector",
        _("sector"),
        lambda today: F(f"{VIA}sector"),
        _choice_labels(Organization.Sector),
    ),
    Dimension(
        "kind",
        _("organisation type"),
        lambda today: F(f"{VIA}kind"),
        _choice_labels(Organization.Kind),
    ),
    Dimension(
        "join_year",
        _("join year"),
        lambda today: ExtractYear("join_date"),
        lambda values: {
            value: f"{value}年" for value in sorted(v for v in values if v is not None)
        },
    ),
)
DIMENSIONS_BY_NAME = {dimension.name: dimension for dimension in DIMENSIONS}
DEFAULT_DIMENSION = "education"


def dimension(name):
    """The dimension called ``name``, or None."""
    return DIMENSIONS_BY_NAME.get(name or "")


def dimension_choices():
    return [(d.name, d.label) for d in DIMENSIONS]


@dataclass
class Breakdown:
    """Active members of ``root``'s subtree counted by child and by one or two dimensions."""

    root: Organization
    first: Dimension
    second: Dimension | None
    children: list
    #: {(child path, first value, second value): count}; second value None with one dimension
    cells: dict
    first_values: list = field(default_factory=list)  # [(value, label)]
    second_values: list = field(default_factory=list)

    def __post_init__(self):
        # Sums by every combination the page asks for, computed once (None: any).
        self._sums = Counter()
        for (path, a, b), n in self.cells.items():
            for key in {  # a set: with one dimension b is None and keys coincide
                (path, a, b),
                (path, a, None),
                (path, None, None),
                (None, a, b),
                (None, a, None),
                (None, None, b),
                (None, None, None),
            }:
                self._sums[key] += n

    @property
    def total(self):
        return self._sums[(None, None, None)]

    def count(self, first=None, second=None, child=None):
        """The count of members matching whatever is given (None: any)."""
        return self._sums[(child.path if child is not None else None, first, second)]

    def first_totals(self):
        """``[(value, label, count)]`` over the whole subtree."""
        return [(value, label, self.count(first=value)) for value, label in self.first_values]

    def cross_rows(self):
        """Rows of the cross table: ``(label, [count per second value], row total)``."""
        return [
            (
                label,
                [self.count(first=value, second=other) for other, _l in self.second_values],
                self.count(first=value),
            )
            for value, label in self.first_values
        ]

    def second_totals(self):
        return [self.count(second=value) for value, _label in self.second_values]

    def child_rows(self):
        """``(child, [count per first value], child total)`` for each child, in tree order."""
        rows = []
        for child in self.children:
            counts = [self.count(first=value, child=child) for value, _label in self.first_values]
            rows.append((child, counts, sum(counts)))
        return rows

    def records(self):
        """``(organisation, first label, second label, count)`` per child and value pair, then
        the subtree's totals under ``root`` itself: the rows of the exported table."""
        first_labels = dict(self.first_values)
        second_labels = dict(self.second_values)
        by_child = {}
        for (path, a, b), n in sorted(self.cells.items(), key=_cell_order(self)):
            if n:
                by_child.setdefault(path, []).append((a, b, n))
        for child in self.children:
            for a, b, n in by_child.get(child.path, ()):
                yield child, first_labels[a], second_labels.get(b, ""), n
        for value, label in self.first_values:
            seconds = self.second_values or [(None, "")]
            for other, other_label in seconds:
                n = self.count(first=value, second=other)
                if n:
                    yield self.root, label, other_label, n


def _cell_order(breakdown):
    first_rank = {value: i for i, (value, _l) in enumerate(breakdown.first_values)}
    second_rank = {value: i for i, (value, _l) in enumerate(breakdown.second_values)}
    return lambda item: (first_rank[item[0][1]], second_rank.get(item[0][2], 0))


def breakdown(root, first, second=None, *, today=None):
    """Count ``root``'s active members by child and by ``first`` (and ``second``) dimension.

    Two queries: the children, and one grouped count (by child path prefix and values).
    Members of closed children count in the totals, as they do on the dashboard.
    """
    today = today or timezone.localdate()
    if second is not None and second.name == first.name:
        second = None
    children = list(Organization.objects.children_of(root).current())
    expressions = {"first": first.expression(today)}
    if second is not None:
        expressions["second"] = second.expression(today)
    rows = (
        Member.objects.in_league()
        .filter(**{f"{VIA}path__startswith": root.path})
        .annotate(child=level_key(f"{VIA}path", root.depth + 1), **expressions)
        .values("child", *expressions)
        .annotate(n=Count("id"))
        .order_by()
    )
    cells = {}
    for row in rows:
        key = (row["child"], row["first"], row.get("second"))
        cells[key] = cells.get(key, 0) + row["n"]
    result = Breakdown(root=root, first=first, second=second, children=children, cells=cells)
    result.first_values = first.ordered({a for (_p, a, _b) in cells})
    if second is not None:
        result.second_values = second.ordered({b for (_p, _a, b) in cells})
    return result

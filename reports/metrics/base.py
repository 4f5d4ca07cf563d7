"""The machinery of compliance figures.

A :class:`FigureGroup` computes a few figures for every organisation at one depth of a subtree
with one grouped query per group: rows are grouped by the prefix of the organisation path that
names the organisation at that depth (``SUBSTRING(path, 1, depth * steplen)``), so the cost does
not depend on how many organisations there are. Counts are summed by the database; ratios are
derived from the counts afterwards, so they stay right at every level.

Groups register themselves; every consumer (dashboards, ``compliance --json``, snapshots,
rankings, notices) asks this module, so a new figure appears everywhere at once.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr

from branches.models import Organization
from reports.rollups import store

STEP = Organization.steplen


class Kind:
    COUNT = "count"
    RATIO = "ratio"


@dataclass(frozen=True)
class Figure:
    """One named figure as it appears in JSON, tables and charts."""

    name: str
    label: object
    kind: str = Kind.COUNT
    rankable: bool = False
    #: for ratios: which way is good ("higher" for fill ratios, "lower" for gap ratios)
    better: str = "higher"

    @property
    def is_ratio(self):
        return self.kind == Kind.RATIO


class FigureGroup:
    """Figures computed together; subclasses implement :meth:`counts`."""

    figures = ()
    #: Whether an organisation's counts are the sum of its children's and its own rows, so that
    #: a parent's total comes from the same query as its children's figures.
    summable = True

    #: Whether the group's counts are stored per organisation (own and subtree, see
    #: :mod:`reports.rollups`) and read from there; such a group declares :attr:`via`,
    #: :meth:`rows` and :meth:`stored` instead of :meth:`counts`.
    rolled_up = False
    #: The field of the counted rows naming the organisation they count in ("" when the rows
    #: are the organisations themselves).
    via = ""

    def rows(self, campaign=None):
        """The counted rows (a queryset), for a rolled-up group."""
        raise NotImplementedError

    def stored(self, campaign=None):
        """``{name: aggregate}`` of the figures kept in roll-ups: sums of counts."""
        return {}

    def shown(self, campaign=None):
        """The stored figures the group's rows show (:meth:`stored` may keep more, for other
        readers: the students in the League that the school lines read)."""
        names = {figure.name for figure in self.figures}
        return [name for name in self.stored(campaign) if name in names]

    def live(self, campaign=None):
        """``{name: condition}`` of the figures counted at each read (rows meeting the
        condition): those that depend on today's date, so that they are exact at any moment.
        Each is one grouped query over the rows meeting it only."""
        return {}

    #: The kinds of writes that change the stored figures ("member", "move", "organization",
    #: "cadre", "registration"): a write refreshes only the groups it touches.
    touched_by = ()
    #: Whether the stored figures are kept for an anchor date (``periods()`` gives it, the
    #: reads add what lies between it and :meth:`current_cutoff`).
    dated = False
    #: Whether the stored figures are kept apart per campaign (``periods``).
    by_campaign = False

    def periods(self):
        """The campaigns whose figures are kept apart ([None]: one set of figures)."""
        return [None]

    def period_name(self, period):
        """The stored rows' ``period`` for one of :meth:`periods`."""
        return str(period.pk) if self.by_campaign and period is not None else ""

    def path_field(self):
        return f"{self.via}__path" if self.via else "path"

    def owner_field(self):
        return f"{self.via}_id" if self.via else "id"

    def grouped(self, root, depth, campaign, aggregates):
        """The prefix-grouped count of ``aggregates`` over ``root``'s subtree: one query."""
        return _grouped(self, self.rows(campaign), root, depth, aggregates)

    def grouped_live(self, root, depth, campaign, conditions, sign=1):
        """``{path: {name: ±count}}`` of the rows meeting each condition: a query each."""
        values = {}
        for name, condition in conditions.items():
            rows = self.rows(campaign).filter(condition)
            for path, row in _grouped(self, rows, root, depth, {name: Count("id")}).items():
                values.setdefault(path, {})[name] = sign * row[name]
        return values

    def recount(self, root, depth, campaign=None):
        """Every count straight from the counted rows: the full recount the roll-ups must
        equal (and what the pages read before the roll-ups; the benchmark compares both)."""
        stored = self.stored(campaign)
        values = self.grouped(root, depth, campaign, {n: stored[n] for n in self.shown(campaign)})
        for path, row in self.grouped_live(root, depth, campaign, self.live(campaign)).items():
            values.setdefault(path, {}).update(row)
        return values

    def counts(self, root, depth, campaign=None):
        """``{path: {name: count}}`` for organisations at ``depth`` within ``root``'s subtree.

        ``campaign``, when the figures are read for one, picks the period of figures that have
        one (the school figures read the education figures of the campaign's year).

        Rows of an organisation above ``depth`` (``root`` itself, say) may come too, keyed by
        its own shorter path; :func:`compute_level` ignores them, :func:`children_and_total`
        adds ``root``'s to its total.

        A rolled-up group reads its stored figures in one query (one row per organisation and
        figure) and counts its live figures in one grouped query.
        """
        if not self.rolled_up:
            raise NotImplementedError
        values = store.read(root, depth, self.shown(campaign), period_key(campaign, self))
        for path, row in self.grouped_live(root, depth, campaign, self.live(campaign)).items():
            values.setdefault(path, {}).update(row)
        return values

    def applies(self, campaign):
        """Whether the group has figures for ``campaign`` (None: figures read without one).
        A group that does not apply is left out of every row, so its figures appear only where
        they mean something (the registration figures only for a registration year)."""
        return True

    def derive(self, values):
        """Fill the group's ratio figures of one organisation from its counts (in place)."""

    def defaults(self):
        return {f.name: (None if f.is_ratio else 0) for f in self.figures}


def _grouped(group, rows, root, depth, aggregates):
    if not aggregates:
        return {}
    rows = (
        rows.filter(**{f"{group.path_field()}__startswith": root.path})
        .annotate(key=level_key(group.path_field(), depth))
        .values("key")
        .annotate(**aggregates)
        .order_by()
    )
    return {row.pop("key"): row for row in rows}


def period_key(campaign, group):
    """The ``period`` of the stored rows of ``group`` read for ``campaign``."""
    return group.period_name(campaign)


def level_key(path_field, depth):
    """The expression naming, for each row, its organisation at ``depth``."""
    return Substr(path_field, 1, depth * STEP)


def ratio(numerator, denominator):
    return round(numerator / denominator, 4) if denominator else None


_GROUPS = []


def register(group):
    """Register a figure group (class or instance); usable as a class decorator."""
    _GROUPS.append(group() if isinstance(group, type) else group)
    return group


def groups(campaign=None, *, every=False):
    """The registered groups that apply to ``campaign`` (all of them with ``every``)."""
    return [group for group in _GROUPS if every or group.applies(campaign)]


def all_figures():
    return [figure for group in _GROUPS for figure in group.figures]


def figures_shown(campaign=None):
    """The figures read for ``campaign``: those of the groups that apply to it."""
    return [figure for group in groups(campaign) for figure in group.figures]


def figure(name):
    for candidate in all_figures():
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def rankable_choices():
    return [(f.name, f.label) for f in all_figures() if f.rankable]


def compute_level(root, depth, campaign=None):
    """Every registered figure for every organisation at ``depth`` in ``root``'s subtree.

    Returns ``{path: {name: value}}`` including organisations with nothing to count, and
    leaving out closed and merged ones (``root`` itself is always there).
    """
    paths = list(
        Organization.objects.filter(path__startswith=root.path, depth=depth)
        .filter(Q(status=Organization.Status.OPEN) | Q(pk=root.pk))
        .values_list("path", flat=True)
    )
    values = {path: {} for path in paths}
    for group in groups(campaign):
        counted = group.counts(root, depth, campaign)
        for path in paths:
            row = values[path]
            row.update(group.defaults())
            row.update(counted.get(path, {}))
            group.derive(row)
    return values


def children_and_total(parent, campaign=None):
    """:func:`figures_for_children` and :func:`figures_for` of ``parent`` together.

    Summable groups count once, at the children's level: the total adds up the children's
    counts and ``parent``'s own rows before the ratios are derived. The others (the ledger)
    count ``parent`` on its own. Closed and merged children are no rows, but what they still
    count (the new members they developed) stays in the total.
    """
    children = list(Organization.objects.children_of(parent).current())
    rows = {child.path: {} for child in children}
    total = {}
    for group in groups(campaign):
        counted = group.counts(parent, parent.depth + 1, campaign)
        for path, row in rows.items():
            row.update(group.defaults())
            row.update(counted.get(path, {}))
            group.derive(row)
        own = group.defaults()
        if group.summable:
            for path, values in counted.items():
                if path.startswith(parent.path):
                    for item in group.figures:
                        if not item.is_ratio:
                            own[item.name] += values.get(item.name) or 0
        else:
            own.update(group.counts(parent, parent.depth, campaign).get(parent.path, {}))
        group.derive(own)
        total.update(own)
    return [(child, rows[child.path]) for child in children], total


def figures_for_children(parent, campaign=None):
    """``[(child, {name: value}), ...]`` for the open children of ``parent``, in tree order."""
    children = list(Organization.objects.children_of(parent).current())
    values = compute_level(parent, parent.depth + 1, campaign)
    return [(child, values[child.path]) for child in children]


def figures_for(organization, campaign=None):
    """The figures of ``organization`` itself (its whole subtree)."""
    return compute_level(organization, organization.depth, campaign)[organization.path]

"""The alternative ``bench.breakdowns`` measures against what the pages run: every count made by
organisation first and summed to the children in the same statement (:func:`rolled_up`),
instead of grouping every row straight by the path prefix of the child it sits under.

:func:`live_recount` puts back, for the dashboard benchmark only, what the pages ran before the
figure roll-ups (:mod:`reports.rollups`): every rolled-up figure group counted straight from its
rows, grouped by the children's path prefix, on every request.

The idea was to do the join and the substring once per branch rather than once per member. With
about twenty members a branch the per-branch groups of a breakdown are nearly as many as the
members, and at province scale the two shapes measured within the noise of a shared machine
(BENCHMARKS.md), so the pages keep the simpler query. Kept here so the comparison can be rerun.
"""

from contextlib import contextmanager

from django.db import connections
from django.db.models import Count, F
from django.utils import timezone

from branches.models import Organization
from members.models import Member
from reports.breakdowns import Breakdown
from reports.metrics.base import STEP, FigureGroup


def _breakdown(count, root, first, second=None, *, today=None):
    today = today or timezone.localdate()
    if second is not None and second.name == first.name:
        second = None
    children = list(Organization.objects.children_of(root).current())
    keys = {"first": first.expression(today)}
    if second is not None:
        keys["second"] = second.expression(today)
    members = Member.objects.in_league().filter(branch__path__startswith=root.path)
    cells = {}
    for row in count(members, root.depth + 1, keys):
        key = (row["key"], row["first"], row.get("second"))
        cells[key] = cells.get(key, 0) + row["n"]
    result = Breakdown(root=root, first=first, second=second, children=children, cells=cells)
    result.first_values = first.ordered({a for (_p, a, _b) in cells})
    if second is not None:
        result.second_values = second.ordered({b for (_p, _a, b) in cells})
    return result


def by_branch(members, depth, keys):
    return rolled_up(members, "branch", depth, keys=keys, counts={"n": Count("id")})


def breakdown_by_branch(root, first, second=None, *, today=None):
    """:func:`reports.breakdowns.breakdown`, counted by branch and rolled up at every level."""
    return _breakdown(by_branch, root, first, second, today=today)


def grouped(queryset, path_field, prefix, depth, **counts):
    """``reports.statistics.figures._grouped``, counted by organisation and rolled up."""
    rows = rolled_up(
        queryset.filter(**{f"{path_field}__startswith": prefix}),
        path_field.removesuffix("__path"),
        depth,
        counts=counts,
    )
    return {row.pop("key"): row for row in rows}


def rolled_up(queryset, organization, depth, *, counts, keys=None, organization_keys=None):
    """Sum ``counts`` of ``queryset`` by organisation at ``depth`` (and by the values given).

    ``organization`` names the field of ``queryset``'s model pointing at the organisation the
    rows are counted in ("branch"); ``keys`` maps names to expressions over the rows,
    ``organization_keys`` names to columns of that organisation ("sector"); ``counts`` maps
    names to aggregates (``Count``, with or without a filter). Returns a list of dicts: ``key``
    (the path prefix naming the organisation at ``depth``; an organisation above ``depth`` comes
    keyed by its own shorter path), the values, and the summed counts.
    """
    keys = keys or {}
    organization_keys = organization_keys or {}
    inner = (
        queryset.annotate(rollup_organization=F(f"{organization}_id"), **keys)
        .values("rollup_organization", *keys)
        .annotate(**counts)
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    connection = connections[queryset.db]
    qn = connection.ops.quote_name
    prefix = f"SUBSTR(o.{qn('path')}, 1, {int(depth) * STEP})"  # an integer, never input
    grouped = [prefix, *(f"t.{qn(k)}" for k in keys)]
    grouped += [
        f"o.{qn(Organization._meta.get_field(c).column)}" for c in organization_keys.values()
    ]
    names = ["key", *keys, *organization_keys]
    selected = [
        f"{expression} AS {qn(name)}" for expression, name in zip(grouped, names, strict=True)
    ]
    selected += [f"SUM(t.{qn(name)}) AS {qn(name)}" for name in counts]
    statement = (
        f"SELECT {', '.join(selected)} FROM ({sql}) t "
        f"INNER JOIN {qn(Organization._meta.db_table)} o ON o.{qn('id')} = t.{qn('rollup_organization')} "
        f"GROUP BY {', '.join(grouped)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        columns = [*names, *counts]
        return [
            {
                **dict(zip(columns, row, strict=True)),
                **{name: int(row[len(names) + i] or 0) for i, name in enumerate(counts)},
            }
            for row in cursor.fetchall()
        ]


@contextmanager
def live_recount():
    """Within the block, rolled-up figure groups count their rows at every read (the full
    recount) instead of reading their roll-ups: the dashboards as they were before."""
    stored = FigureGroup.counts

    def counts(self, root, depth, campaign=None):
        if self.rolled_up:
            return self.recount(root, depth, campaign)
        return stored(self, root, depth, campaign)

    FigureGroup.counts = counts
    try:
        yield
    finally:
        FigureGroup.counts = stored

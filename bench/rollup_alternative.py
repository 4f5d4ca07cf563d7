"""The alternatives ``bench.breakdowns`` measures against what the pages run: every count
grouped straight by child path, or every count by branch and rolled up."""

from django.db.models import Count
from django.utils import timezone

from branches.models import Organization
from members.models import Member
from reports import breakdowns
from reports.breakdowns import Breakdown
from reports.metrics.base import level_key
from reports.rollup import rolled_up


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


def by_path(members, depth, keys):
    return breakdowns.by_child_path(members, depth, keys)


def by_branch(members, depth, keys):
    return rolled_up(members, "branch", depth, keys=keys, counts={"n": Count("id")})


def breakdown_by_path(root, first, second=None, *, today=None):
    """:func:`reports.breakdowns.breakdown`, grouped by child path at every level."""
    return _breakdown(by_path, root, first, second, today=today)


def breakdown_by_branch(root, first, second=None, *, today=None):
    """:func:`reports.breakdowns.breakdown`, counted by branch and rolled up at every level."""
    return _breakdown(by_branch, root, first, second, today=today)


def grouped_by_path(queryset, path_field, prefix, depth, **counts):
    """``reports.statistics.figures._grouped`` grouped straight by path prefix."""
    rows = (
        queryset.filter(**{f"{path_field}__startswith": prefix})
        .annotate(key=level_key(path_field, depth))
        .values("key")
        .annotate(**counts)
        .order_by()
    )
    return {row.pop("key"): row for row in rows}

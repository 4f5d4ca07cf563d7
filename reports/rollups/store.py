"""Reading and writing :class:`~reports.models.FigureRollup` rows.

A write never recounts a subtree: it recounts the touched organisations' own figures, and adds
the difference to the ``own`` of the organisation and to the ``subtree`` of the organisation and
of every ancestor (the prefixes of its path) in one upsert per batch.
"""

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import F

from branches.models import Organization
from reports.models.rollups import FigureRollup

STEP = Organization.steplen
#: rows per upsert statement (five parameters each, within the database's limit)
CHUNK = 1000


def _chunk():
    limit = connection.features.max_query_params
    return min(CHUNK, limit // 5) if limit else CHUNK


def read(root, depth, names, period=""):
    """``{path: {name: value}}`` of ``names`` at ``depth`` within ``root``'s subtree: one query.

    Organisations at ``depth`` give their subtree's counts; when ``depth`` is below ``root``,
    ``root`` itself comes too with its own counts (keyed by its shorter path), so that the
    children's rows plus ``root``'s add up to ``root``'s subtree.
    """
    chosen = FigureRollup.objects.filter(figure__in=list(names), period=period)
    # Two parts of one statement, so that each reads the unique index by organisation.
    rows = (
        chosen.filter(organization__path__startswith=root.path, organization__depth=depth)
        .annotate(value=F("subtree"))
        .values_list("organization__path", "figure", "value")
        .order_by()
    )
    if depth > root.depth:
        own = (
            chosen.filter(organization=root)
            .annotate(value=F("own"))
            .values_list("organization__path", "figure", "value")
            .order_by()
        )
        rows = rows.union(own, all=True)
    found = defaultdict(dict)
    for path, name, value in rows:
        found[path][name] = value
    return dict(found)


def stored_own(organization_ids, names):
    """``{(organization_id, figure, period): own}`` as stored now."""
    rows = FigureRollup.objects.filter(
        organization_id__in=list(organization_ids), figure__in=list(names)
    ).values_list("organization_id", "figure", "period", "own")
    return {(org, name, period): own for org, name, period, own in rows}


def ancestors(path):
    """The paths of the organisation at ``path`` and of every organisation above it."""
    return [path[:length] for length in range(STEP, len(path) + 1, STEP)]


def spread(own_deltas, paths):
    """``{(path, figure, period): [own delta, subtree delta]}`` from own-count deltas.

    ``own_deltas`` maps ``(organization_id, figure, period)`` to a difference, ``paths`` the
    organisations' ids to their paths; every ancestor's subtree moves by the same difference.
    """
    changes = defaultdict(lambda: [0, 0])
    for (org, name, period), delta in own_deltas.items():
        if not delta:
            continue
        path = paths[org]
        changes[(path, name, period)][0] += delta
        for above in ancestors(path):
            changes[(above, name, period)][1] += delta
    return changes


def apply(changes):
    """Add ``changes`` (as :func:`spread` makes them) to the stored rows, creating missing ones.

    One ``INSERT ... SELECT ... ON CONFLICT DO UPDATE`` per chunk (PostgreSQL and SQLite both
    speak it): the organisations are found by their paths in the same statement.
    """
    items = [(key, value) for key, value in changes.items() if value[0] or value[1]]
    table = connection.ops.quote_name(FigureRollup._meta.db_table)
    organizations = connection.ops.quote_name(Organization._meta.db_table)
    size = _chunk()
    for start in range(0, len(items), size):
        chunk = items[start : start + size]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        params = [
            item
            for (path, name, period), (own, subtree) in chunk
            for item in (path, name, period, own, subtree)
        ]
        statement = (
            f"INSERT INTO {table} (organization_id, figure, period, own, subtree) "
            f"SELECT o.id, d.column2, d.column3, d.column4, d.column5 "
            f"FROM {organizations} o INNER JOIN (VALUES {values}) d ON o.path = d.column1 "
            f"WHERE 1 = 1 "
            f"ON CONFLICT (organization_id, figure, period) DO UPDATE SET "
            f"own = {table}.own + excluded.own, subtree = {table}.subtree + excluded.subtree"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, params)


def anchor(name):
    """The date the stored counts of figure ``name`` are kept for (the period of its rows), or
    None before any is stored: every row of the figure shares it (one indexed look-up). The
    figure is one that has rows wherever its group has any (a count of all the group's rows)."""
    found = list(FigureRollup.objects.filter(figure=name).values_list("period", flat=True)[:1])
    return date.fromisoformat(found[0]) if found else None


def subtree_values(organizations, name, period=""):
    """``{path: subtree count of figure name}`` for ``organizations`` (a queryset
    or a list of ids): one query."""
    return dict(
        FigureRollup.objects.filter(figure=name, period=period, organization__in=organizations)
        .values_list("organization__path", "subtree")
        .order_by()
    )

"""Keeping the roll-ups exact: on every write, after bulk writes, after moves; rebuilt and
checked against a full recount.

A write recounts the own figures of the organisations it touched (an indexed count per rolled-up
group), compares them with the stored ``own`` and adds the difference to the organisation's
``own`` and to the ``subtree`` of the organisation and of all its ancestors (one upsert, by path
prefixes). Writes reach here through the same paths the member tallies use: model signals for
single writes (:mod:`reports.apps`), explicit calls after bulk writes (``members.tallies``
listeners, the registration services), and ``organization_moved`` for moves of subtrees.
"""

from collections import defaultdict
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import F, Max

from branches.models import Organization
from reports.metrics.base import groups
from reports.models.rollups import FigureRollup
from reports.rollups import store

BATCH = 500
_paused = []


def rolled_groups(topic=None):
    """The rolled-up figure groups (those a write on ``topic`` changes, when given)."""
    return [
        group
        for group in groups(every=True)
        if group.rolled_up and (topic is None or topic in group.touched_by)
    ]


def period_of(group, period):
    return group.period_name(period)


def own_rows(group, campaign, organization_ids=None):
    """The grouped queryset of ``group``'s stored figures per organisation (``owner``)."""
    rows = group.rows(campaign)
    if organization_ids is not None:
        rows = rows.filter(**{f"{group.owner_field()}__in": list(organization_ids)})
    return rows.values(owner=F(group.owner_field())).annotate(**group.stored(campaign)).order_by()


def own_counts(group, campaign, organization_ids=None):
    """``{(organization_id, figure, period): count}``, leaving out zeros."""
    period = period_of(group, campaign)
    return {
        (row["owner"], name, period): value
        for row in own_rows(group, campaign, organization_ids)
        for name, value in row.items()
        if name != "owner" and value
    }


@contextmanager
def paused():
    """Skip the per-write upkeep (a demo or a load that rebuilds at its end)."""
    _paused.append(True)
    try:
        yield
    finally:
        _paused.pop()


def is_paused():
    return bool(_paused)


def refresh(organization_ids, topic=None):
    """Bring the roll-ups up to date after a write that touched these organisations' counts."""
    if _paused:
        return
    ids = sorted({pk for pk in organization_ids if pk})
    chosen = rolled_groups(topic)
    for start in range(0, len(ids), BATCH):
        _refresh(ids[start : start + BATCH], chosen)


def _refresh(ids, chosen):
    fresh, names = {}, set()
    for group in chosen:
        for campaign in group.periods():
            names.update(group.stored(campaign))
            fresh.update(own_counts(group, campaign, ids))
    before = store.stored_own(ids, names)
    deltas = {key: fresh.get(key, 0) - before.get(key, 0) for key in fresh.keys() | before.keys()}
    deltas = {key: delta for key, delta in deltas.items() if delta}
    if deltas:
        paths = dict(
            Organization.objects.filter(pk__in={key[0] for key in deltas}).values_list("pk", "path")
        )
        store.apply(store.spread(deltas, paths))


def follow_move(sender, organization, old_path=None, **kwargs):
    """A subtree moved: its totals leave the old ancestors and join the new ones."""
    if _paused or not old_path or old_path == organization.path:
        return
    changes = defaultdict(lambda: [0, 0])
    for name, period, total in FigureRollup.objects.filter(organization=organization).values_list(
        "figure", "period", "subtree"
    ):
        for above in store.ancestors(old_path)[:-1]:
            changes[(above, name, period)][1] -= total
        for above in store.ancestors(organization.path)[:-1]:
            changes[(above, name, period)][1] += total
    store.apply(changes)


def forget_organization(sender, instance, **kwargs):
    """Before an organisation is deleted, its own counts leave its ancestors' totals."""
    if _paused or not instance.path:
        return
    changes = defaultdict(lambda: [0, 0])
    for name, period, own in FigureRollup.objects.filter(organization=instance).values_list(
        "figure", "period", "own"
    ):
        for above in store.ancestors(instance.path)[:-1]:
            changes[(above, name, period)][1] -= own
    store.apply(changes)


# --- rebuilding and checking ------------------------------------------------------------------


def rebuild(chosen=None):
    """Recompute every roll-up (of the ``chosen`` groups) from the counted tables, set-based:
    per group (and period) one grouped insert of the own counts, then per tree depth one insert
    of the subtree sums."""
    chosen = rolled_groups() if chosen is None else chosen
    with transaction.atomic():
        _rebuild(chosen)


#: days an anchored figure's window of live births may grow before the daily run moves it
ANCHOR_DAYS = 7


def advance_anchors(today=None):
    """Move the anchor date of figures kept by date (members reaching 28) to today's cut-off
    when it is more than :data:`ANCHOR_DAYS` behind, so that the part counted at each read
    stays a few days of births. Run by the daily task; returns the groups rebuilt."""
    stale = []
    for group in rolled_groups():
        if not group.dated:
            continue
        (anchor,) = group.periods()
        if abs((group.current_cutoff(today) - anchor).days) > ANCHOR_DAYS:
            stale.append(group)
    if stale:
        rebuild(stale)
    return stale


def _rebuild(chosen):
    rebuilt = sorted(
        {name for group in chosen for period in group.periods() for name in group.stored(period)}
    )
    FigureRollup.objects.filter(figure__in=rebuilt).delete()
    qn = connection.ops.quote_name
    table = qn(FigureRollup._meta.db_table)
    organizations = qn(Organization._meta.db_table)
    for group in chosen:
        for campaign in group.periods():
            names = list(group.stored(campaign))
            sql, params = own_rows(group, campaign).query.sql_with_params()
            pick = " ".join(f"WHEN %s THEN t.{qn(name)}" for name in names)
            value = f"COALESCE(CASE n.column1 {pick} END, 0)"
            kinds = ", ".join(["(%s)"] * len(names))
            statement = (
                f"INSERT INTO {table} (organization_id, figure, period, own, subtree) "
                f"SELECT t.{qn('owner')}, n.column1, %s, {value}, 0 "
                f"FROM ({sql}) t CROSS JOIN (VALUES {kinds}) n WHERE {value} <> 0"
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    statement,
                    [period_of(group, campaign), *names, *params, *names, *names],
                )
    deepest = Organization.objects.aggregate(deepest=Max("depth"))["deepest"] or 0
    marks = ", ".join(["%s"] * len(rebuilt))
    for depth in range(1, deepest + 1):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (organization_id, figure, period, own, subtree) "
                f"SELECT a.id, r.figure, r.period, 0, SUM(r.own) FROM {table} r "
                f"INNER JOIN {organizations} o ON o.id = r.organization_id "
                f"INNER JOIN {organizations} a ON a.path = SUBSTR(o.path, 1, %s) "
                f"WHERE o.depth >= %s AND r.own <> 0 AND r.figure IN ({marks}) "
                f"GROUP BY a.id, r.figure, r.period "
                f"ON CONFLICT (organization_id, figure, period) DO UPDATE SET "
                f"subtree = {table}.subtree + excluded.subtree",
                [depth * store.STEP, depth, *rebuilt],
            )


def expected():
    """``{(organization_id, figure, period): (own, subtree)}`` from a full recount."""
    paths = dict(Organization.objects.values_list("pk", "path"))
    ids = {path: pk for pk, path in paths.items()}
    totals = defaultdict(lambda: [0, 0])
    for group in rolled_groups():
        for campaign in group.periods():
            for (owner, name, period), value in own_counts(group, campaign).items():
                totals[(owner, name, period)][0] += value
                for above in store.ancestors(paths[owner]):
                    totals[(ids[above], name, period)][1] += value
    return {key: tuple(value) for key, value in totals.items() if value != [0, 0]}


def differences():
    """``[(code, figure, period, stored (own, subtree), recounted (own, subtree))]``."""
    stored = {
        (org, name, period): (own, subtree)
        for org, name, period, own, subtree in FigureRollup.objects.values_list(
            "organization_id", "figure", "period", "own", "subtree"
        )
        if own or subtree
    }
    wanted = expected()
    wrong = sorted(
        key for key in stored.keys() | wanted.keys() if stored.get(key) != wanted.get(key)
    )
    codes = dict(
        Organization.objects.filter(pk__in={key[0] for key in wrong}).values_list("pk", "code")
    )
    return [
        (codes[org], name, period, stored.get(key, (0, 0)), wanted.get(key, (0, 0)))
        for key in wrong
        for org, name, period in [key]
    ]


def difference_lines():
    """:func:`differences` as lines for ``rebuild_tallies --check``."""
    return [
        f"roll-up {code} {name}[{period}]: stored own/subtree {stored}, recounted {wanted}"
        for code, name, period, stored, wanted in differences()
    ]

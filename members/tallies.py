"""Keeping the stored derivations of the member table exact.

Dashboards at province scale cannot count two million members on every page: they sum stored
counts instead — per developing organisation (:class:`OrganizationTally`), per number range
(``NumberRange.used_count`` / ``explained_count``) — and moves carry their member's developing
organisation. This module recomputes those counts for exactly what a write touched:

* every single-object save or delete of a member, a register entry or a range, through the
  model signals connected in :meth:`members.apps.MembersConfig.ready` — signals, because the
  counts must stay right whichever path wrote (services, admin, shell, tests);
* bulk inserts, which send no signals, by an explicit :func:`tally_members` call in the bulk
  service;
* anything written around the ORM (the benchmark generator's COPY), by ``rebuild_tallies``.

Organisation tallies are recounted (an indexed count of one organisation's members); range
counts move by one member or one register span at a time (a province's range holds hundreds of
thousands of numbers), grow by the new numbers each holds after bulk inserts, and are recounted
after other bulk writes and by ``rebuild_tallies``.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    PositiveBigIntegerField,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from members.models import (
    TALLY_FIELDS,
    Member,
    Move,
    NumberRange,
    OrganizationTally,
    UnusedNumber,
)
from members.models.numbers import YEAR_DIVISOR, number_year

BATCH = 2000

#: Apps above this one that keep counts of their own over these tables (the reports app's
#: figure roll-ups): told which organisations a bulk write touched, and asked to rebuild.
_LISTENERS = []
_REBUILD_STEPS = []
_CHECKS = []


def register_count_listener(listener, *, rebuild, check):
    """``listener(organization_ids, topic)`` after bulk writes; ``rebuild()`` after
    :func:`tally_rebuild`; ``check()``, lines naming every stored count that differs from a
    full recount, for ``rebuild_tallies --check``."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
        _REBUILD_STEPS.append(rebuild)
        _CHECKS.append(check)


def check_steps():
    """The consistency checks of the stored counts: the tallies' own, then the listeners'."""
    return [check_tallies, check_ranges, *_CHECKS]


def _counted_by_organization():
    """Every developing organisation's entry counts, recounted from the members."""
    return {
        row.pop("developing_organization_id"): row
        for row in Member.objects.new_members()
        .values("developing_organization_id")
        .annotate(**_entry_counts())
        .order_by()
    }


def check_tallies():
    """Lines naming every organisation whose stored tally differs from a recount."""
    stored = {
        row.pop("organization_id"): row
        for row in OrganizationTally.objects.values("organization_id", *TALLY_FIELDS)
    }
    counted = _counted_by_organization()
    zero = dict.fromkeys(TALLY_FIELDS, 0)
    return [
        f"tally {pk}: stored {stored.get(pk, zero)} counted {counted.get(pk, zero)}"
        for pk in sorted(stored.keys() | counted.keys())
        if stored.get(pk, zero) != counted.get(pk, zero)
    ]


def check_ranges():
    """Lines naming every number range whose stored used or registered count differs from a
    recount (one bounded look-up per range: minutes at province scale, as a check may take)."""
    return [
        f"range {item.pk}: stored used {item.used_count} registered {item.explained_count}, "
        f"counted used {item.counted_used} registered {item.counted_explained}"
        for item in NumberRange.objects.annotate(**_range_counts())
        .only("pk", "used_count", "explained_count")
        .order_by("pk")
        .iterator(chunk_size=BATCH)
        if (item.used_count, item.explained_count) != (item.counted_used, item.counted_explained)
    ]


def counts_touched(organization_ids, topic):
    """Tell the listeners that a write around the model signals touched these organisations'
    counts of ``topic`` ("member", "move")."""
    ids = {pk for pk in organization_ids if pk}
    for listener in _LISTENERS:
        listener(ids, topic)


def _entry_counts():
    return {
        "new_members": Count("id"),
        "entered_on_time": Count("id", filter=Q(entry_deadline__isnull=False, entered_late=False)),
        "entered_late": Count("id", filter=Q(entered_late=True)),
    }


def tally_organizations(organization_ids):
    """Recount the new members each of these organisations developed."""
    ids = sorted({pk for pk in organization_ids if pk})
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        counted = {
            row.pop("developing_organization_id"): row
            for row in Member.objects.new_members()
            .filter(developing_organization_id__in=chunk)
            .values("developing_organization_id")
            .annotate(**_entry_counts())
            .order_by()
        }
        _save_tallies(
            OrganizationTally(organization_id=pk, **counted.get(pk, dict.fromkeys(TALLY_FIELDS, 0)))
            for pk in chunk
        )


def _save_tallies(rows):
    OrganizationTally.objects.bulk_create(
        list(rows),
        update_conflicts=True,
        unique_fields=["organization"],
        update_fields=list(TALLY_FIELDS),
        batch_size=BATCH,
    )


def _range_counts():
    from members.numbers.ledger import CountAll, SumOf

    used = (
        Member.objects.filter(
            development_number__gte=OuterRef("first"), development_number__lte=OuterRef("last")
        )
        .order_by()
        .annotate(n=CountAll())
        .values("n")
    )
    explained = (
        # first <= last bounds the b-tree scan on (first, last) from above: without it each
        # range read the register from its first number to the end (quadratic in a rebuild).
        UnusedNumber.objects.filter(
            first__gte=OuterRef("first"), first__lte=OuterRef("last"), last__lte=OuterRef("last")
        )
        .order_by()
        .annotate(n=SumOf(F("last") - F("first") + 1))
        .values("n")
    )
    return {
        "counted_used": Coalesce(Subquery(used), 0),
        "counted_explained": Coalesce(Subquery(explained), 0),
    }


def tally_ranges(ranges):
    """Recount the used and registered numbers of these ranges (a queryset or ids)."""
    queryset = (
        ranges if hasattr(ranges, "annotate") else NumberRange.objects.filter(pk__in=list(ranges))
    )
    batch = []
    for item in queryset.annotate(**_range_counts()).only("pk").iterator(chunk_size=BATCH):
        item.used_count, item.explained_count = item.counted_used, item.counted_explained
        batch.append(item)
        if len(batch) >= BATCH:
            NumberRange.objects.bulk_update(batch, ["used_count", "explained_count"])
            batch = []
    NumberRange.objects.bulk_update(batch, ["used_count", "explained_count"])


def ranges_touching(spans):
    """Ranges overlapping any of ``spans`` ((first, last) pairs), a window per year."""
    windows = {}
    for first, last in spans:
        if first is None:
            continue
        low, high = windows.get(number_year(first), (first, last))
        windows[number_year(first)] = (min(low, first), max(high, last))
    condition = Q()
    for year, (low, high) in windows.items():
        # A range lies within one year: the year's start bounds the index scan from below.
        condition |= Q(first__gte=year * YEAR_DIVISOR, first__lte=high, last__gte=low)
    return NumberRange.objects.filter(condition) if windows else NumberRange.objects.none()


def count_new_numbers(numbers):
    """After inserting members holding ``numbers``: add to each range's used count the new
    numbers it holds (a lookup of the ranges near them, then one UPDATE per batch of ranges),
    instead of recounting ranges that may hold a whole year's numbers."""
    numbers = sorted(n for n in numbers if n is not None)
    if not numbers:
        return
    added = {}
    for pk, first, last in ranges_touching((n, n) for n in numbers).values_list(
        "pk", "first", "last"
    ):
        count = bisect_right(numbers, last) - bisect_left(numbers, first)
        if count:
            added[pk] = count
    pks = sorted(added)
    for start in range(0, len(pks), BATCH):
        by_count = defaultdict(list)
        for pk in pks[start : start + BATCH]:
            by_count[added[pk]].append(pk)
        NumberRange.objects.filter(pk__in=pks[start : start + BATCH]).update(
            used_count=F("used_count")
            + Case(
                *(When(pk__in=group, then=Value(count)) for count, group in by_count.items()),
                default=Value(0),
                output_field=PositiveBigIntegerField(),
            )
        )


def tally_members(members, *, created=False):
    """After a bulk insert (``created``) or change of ``members``: their organisations and
    their ranges (inserted members add to the ranges' counts; changed ones recount them)."""
    members = list(members)
    tally_organizations(m.developing_organization_id for m in members)
    numbers = [m.development_number for m in members if m.development_number is not None]
    if created:
        count_new_numbers(numbers)
    else:
        tally_ranges(ranges_touching((n, n) for n in numbers))
    counts_touched(
        {m.developing_organization_id for m in members} | {m.branch_id for m in members}, "member"
    )


def tally_rebuild():
    """Recompute every stored count from the tables (after loading data around the ORM)."""
    from branches.models import Organization

    ids = list(Organization.objects.values_list("pk", flat=True))
    counted = _counted_by_organization()
    OrganizationTally.objects.all().delete()
    _save_tallies(
        OrganizationTally(organization_id=pk, **counted[pk]) for pk in ids if pk in counted
    )
    tally_ranges(NumberRange.objects.all())
    Move.objects.update(
        developing_organization_id=Subquery(
            Member.objects.filter(pk=OuterRef("member_id")).values("developing_organization_id")[:1]
        )
    )
    for step in _REBUILD_STEPS:
        step()


# --- signal receivers (connected in MembersConfig.ready) -------------------------------------


def remember_member(sender, instance, raw=False, **kwargs):
    """Before a member is saved: what it was, so both the old and the new place are recounted."""
    if instance.pk and not raw:
        instance._tally_before = (
            Member.objects.filter(pk=instance.pk)
            .values_list("developing_organization_id", "development_number")
            .first()
        )


def _shift_used(number, delta):
    """Add ``delta`` to the used count of every range containing ``number`` (one UPDATE)."""
    if number is not None:
        NumberRange.objects.filter(first__lte=number, last__gte=number).update(
            used_count=F("used_count") + delta
        )


def _shift_explained(span, sign):
    """Add (or take) a register span's size to every range containing the whole span."""
    if span and span[0] is not None:
        first, last = span
        NumberRange.objects.filter(first__lte=first, last__gte=last).update(
            explained_count=F("explained_count") + sign * (last - first + 1)
        )


def member_changed(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_tally_before", None) or (None, None)
    tally_organizations({instance.developing_organization_id, before[0]})
    # Ranges change by one, not by a recount: a province's range holds hundreds of thousands.
    if created or before[1] != instance.development_number:
        _shift_used(before[1], -1)
        _shift_used(instance.development_number, +1)
    if before[0] and before[0] != instance.developing_organization_id:
        Move.objects.filter(member=instance).update(
            developing_organization_id=instance.developing_organization_id
        )


def member_deleted(sender, instance, **kwargs):
    tally_organizations({instance.developing_organization_id})
    _shift_used(instance.development_number, -1)


def remember_span(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        instance._tally_before = (
            UnusedNumber.objects.filter(pk=instance.pk).values_list("first", "last").first()
        )


def span_changed(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    _shift_explained(getattr(instance, "_tally_before", None), -1)
    _shift_explained((instance.first, instance.last), +1)


def span_deleted(sender, instance, **kwargs):
    _shift_explained((instance.first, instance.last), -1)


def range_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        tally_ranges([instance.pk])


def ranges_follow_move(sender, organization, **kwargs):
    """A moved subtree's ranges take their holders' new depths (same-level ranges never overlap)."""
    from branches.models import Organization

    NumberRange.objects.filter(organization__path__startswith=organization.path).update(
        level=Subquery(
            Organization.objects.filter(pk=OuterRef("organization_id")).values("depth")[:1]
        )
    )

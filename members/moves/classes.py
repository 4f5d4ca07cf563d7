"""Graduating classes (学社衔接): their graduation dates, the classes to transfer and their
members with their moves. ``members.moves.services`` names these too, beside the moves' writes.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from branches import access
from branches.models import Organization
from branches.services import organization_set_graduation
from members.models import Member
from members.models.moves import Move

FOLLOW = access.Capability.FOLLOW_MOVES

# The graduates' page shows class branches graduating within this many days, and those already
# graduated that still hold members.
GRADUATES_AHEAD_DAYS = 120
GRADUATING_CLASSES_LIMIT = 300


def graduation_dates_set(*, changes, user=None):
    """Set graduation dates or reasons for many class branches at once, all or nothing.

    ``changes`` are ``(branch, graduation_date, reason)`` triples, each with a date or a reason
    (teachers' or mixed branch). Returns how many branches changed.
    """
    groups = defaultdict(list)
    for branch, graduation_date, reason in changes:
        groups[(graduation_date, reason or "")].append(branch)
    with transaction.atomic():
        for (graduation_date, reason), branches in groups.items():
            organization_set_graduation(
                organizations=branches, graduation_date=graduation_date, reason=reason, user=user
            )
    return sum(len(branches) for branches in groups.values())


def _pending_move_exists():
    return Exists(Move.objects.open().filter(member=OuterRef("pk")))


def graduating_classes(*, organization, today=None):
    """Class branches in ``organization``'s subtree to transfer, with their counts.

    Returns ``(upcoming, graduated)``: those graduating within ``GRADUATES_AHEAD_DAYS``, soonest
    first, and those already graduated that still hold members in the League, latest first.
    Members who left the League count nowhere here. Each branch
    carries ``member_count``, ``moving_count`` (members with a pending move), ``to_transfer``
    (members without one) and ``days_left``. Three queries.
    """
    today = today or timezone.localdate()
    classes = (
        Organization.objects.class_branches()
        .current()
        .with_parent_name()
        .filter(path__startswith=organization.path)
    )
    upcoming = list(
        classes.filter(
            graduation_date__gte=today,
            graduation_date__lte=today + timedelta(days=GRADUATES_AHEAD_DAYS),
        ).order_by("graduation_date", "path")[:GRADUATING_CLASSES_LIMIT]
    )
    graduated = list(
        classes.filter(graduation_date__lt=today)
        .filter(Exists(Member.objects.in_league().filter(branch=OuterRef("pk"))))
        .order_by("-graduation_date", "path")[:GRADUATING_CLASSES_LIMIT]
    )
    branches = upcoming + graduated
    counts = {
        row["branch"]: row
        for row in Member.objects.in_league()
        .filter(branch__in=branches)
        .annotate(moving=_pending_move_exists())
        .values("branch")
        .annotate(total=Count("pk"), moving_count=Count("pk", filter=Q(moving=True)))
        .order_by()
    }
    for branch in branches:
        row = counts.get(branch.pk, {})
        branch.member_count = row.get("total", 0)
        branch.moving_count = row.get("moving_count", 0)
        branch.to_transfer = branch.member_count - branch.moving_count
        branch.days_left = (branch.graduation_date - today).days
    return upcoming, graduated


def graduated_empty_classes(*, organization, today=None):
    """Open class branches of ``organization``'s subtree that have graduated and hold no member
    any more: ready to close (撤销), latest graduation first. One query."""
    today = today or timezone.localdate()
    return list(
        Organization.objects.class_branches()
        .with_parent_name()
        .current()
        .filter(path__startswith=organization.path, graduation_date__lt=today)
        .exclude(Exists(Member.objects.filter(branch=OuterRef("pk"))))
        .order_by("-graduation_date", "path")[:GRADUATING_CLASSES_LIMIT]
    )


def class_members_with_moves(*, user, branch):
    """The members in the League of a class branch the user may see, each with ``latest_move``
    (or None) and ``pending_move``; two queries."""
    members = list(
        Member.objects.visible_to(user)
        .in_league()
        .filter(branch=branch)
        .select_related("branch")
        .order_by("name", "pk")
    )
    latest = {}
    for move in Move.objects.filter(member__in=members).order_by("member_id", "-moved_on", "-pk"):
        latest.setdefault(move.member_id, move)
    for member in members:
        move = latest.get(member.pk)
        member.latest_move = move
        member.pending_move = move if move is not None and move.is_open else None
    return members

"""What members, number ranges and moves mean for an organisation that closes or merges.

``branches`` closes and merges organisations (:func:`branches.services.organization_close`,
:func:`branches.services.organization_merge`) but may not import this app: the check and the
merge step below are registered with it in :meth:`members.apps.MembersConfig.ready`.
"""

from django.utils.translation import gettext as _

from members.models import IssuedNumber, Member, Move, NumberRange, UnusedNumber
from members.models.numbers import format_span
from members.watch import guard_write, member_record

#: how many members or ranges a refusal names before it only counts
NAMED = 5


def closing_problems(organization):
    """Sentences naming what keeps ``organization`` open: members still in a branch of its
    subtree, number ranges its subtree still holds, moves still heading to it."""
    problems = []
    # Members who left the League stay where they were, in its history.
    members = Member.objects.in_subtree(organization).in_league().order_by("name", "pk")
    count = members.count()
    if count:
        names = "、".join(members.values_list("name", flat=True)[:NAMED])
        problems.append(
            _("%(count)d member(s) are still in it (%(names)s): record their moves or exits first.")
            % {"count": count, "names": names}
        )
    ranges = NumberRange.objects.held_by_subtree_of(organization).order_by("first")
    count = ranges.count()
    if count:
        spans = "、".join(format_span(r.first, r.last) for r in ranges[:NAMED])
        problems.append(
            _("%(count)d number range(s) are still held (%(spans)s): hand them back first.")
            % {"count": count, "spans": spans}
        )
    heading = Move.objects.pending().filter(
        destination_organization__path__startswith=organization.path
    )
    count = heading.count()
    if count:
        problems.append(
            _("%(count)d pending move(s) still head to it: redirect or close them first.")
            % {"count": count}
        )
    return problems


def merge_step(*, source, target, user=None):
    """Move into ``target`` the members, number ranges, issued and registered numbers and pending
    incoming moves of ``source``, one saved object at a time so that each keeps its history and
    every stored tally follows. Members keep their join dates, numbers and entry figures."""
    members = Member.objects.filter(branch=source) | Member.objects.filter(
        developing_organization=source
    )
    moved = []
    for member in members.distinct():
        before = ((member.branch_id, member.join_date.year),) if member.join_date else ()
        if member.branch_id == source.pk:
            member.branch = target
        if member.developing_organization_id == source.pk:
            member.developing_organization = target
        member._change_reason = _("merged into %(name)s") % {"name": target.name}
        member.save()
        moved.append(member_record(member, *before))
    guard_write(kind="member", action="changed", records=moved, user=user)
    for issued in IssuedNumber.objects.filter(organization=source):
        issued.organization = target
        issued.save(update_fields=["organization"])
    for entry in UnusedNumber.objects.filter(organization=source):
        entry.organization = target
        entry.save(update_fields=["organization"])
    for number_range in NumberRange.objects.filter(organization=source):
        number_range.organization = target
        number_range.full_clean()
        number_range.save()
    for move in Move.objects.pending().filter(destination_organization=source):
        move.destination_organization = target
        move.save(update_fields=["destination_organization", "updated_at"])

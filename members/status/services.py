"""Changes of a member's status (团籍状态): exits, retention and reversal (恢复团籍).

The branch (or a committee above it) records or proposes; the committee above approves where
the League's rules require it (停止团籍, 开除团籍). 超龄离团 is a confirmation and 自愿退团 and 去世
are recorded: they take effect at once. A member who leaves has their open move closed. Every
change is a :class:`~members.models.StatusChange` row; the member's own history shows the new
status too.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import access
from branches.models import Cadre
from members.models import (
    AGE_LIMIT,
    EXITS,
    IN_LEAGUE,
    NEEDS_APPROVAL,
    Member,
    MemberStatus,
    Move,
    StatusChange,
    age_limit_date,
)
from members.moves.services import moves_close_for_exit
from members.watch import guard_write, member_record

PROPOSABLE = (MemberStatus.RETAINED, *EXITS)


def holds_post(member, today=None):
    """Whether ``member`` holds a cadre post now (matched by ID number): they keep membership."""
    return Cadre.objects.active().filter(id_number=member.id_number).exists()


def _require(allowed):
    if not allowed:
        raise PermissionDenied(_("You may not do this for this member."))


def _locked(member):
    return Member.objects.select_for_update(of=("self",)).select_related("branch").get(pk=member.pk)


def _check_proposal(member, status, effective_on):
    errors = {}
    if status not in PROPOSABLE:
        errors["status"] = [_("Choose how the member leaves.")]
    elif member.status not in IN_LEAGUE:
        errors["status"] = [_("This member has already left the League.")]
    elif status == MemberStatus.RETAINED and member.status != MemberStatus.ACTIVE:
        errors["status"] = [_("This member's membership is already retained.")]
    elif member.status_changes.filter(state=StatusChange.State.PROPOSED).exists():
        errors["status"] = [_("A proposal for this member awaits approval.")]
    if effective_on is None:
        errors["effective_on"] = [_("Give the date.")]
    elif effective_on > timezone.localdate():
        errors["effective_on"] = [_("The date cannot be in the future.")]
    elif status in PROPOSABLE and not errors:
        reached = effective_on >= age_limit_date(member.birth_date)
        if status == MemberStatus.AGED_OUT and not reached:
            errors["effective_on"] = [
                _("The member is not yet %(age)d on this date.") % {"age": AGE_LIMIT}
            ]
        elif status == MemberStatus.AGED_OUT and holds_post(member):
            errors["status"] = [
                _("The member holds a cadre post and keeps membership while in post.")
            ]
        elif status == MemberStatus.RETAINED and reached:
            errors["status"] = [
                _("Membership is retained only under the age of %(age)d.") % {"age": AGE_LIMIT}
            ]
    if errors:
        raise ValidationError(errors)


def _apply(change, member, user):
    """Put ``change`` into effect on ``member`` (locked); close an open move when they leave.

    A status change moves the member in or out of the roster and the figures, so an accepted
    submission that holds the member records it, or refuses it under the campaign's lock."""
    guard_write(kind="member", action="changed", records=[member_record(member)], user=user)
    member.status = change.status
    member.status_since = change.effective_on
    member._change_reason = f"{change.get_status_display()}: {change.reason}"
    if user is not None:
        member._history_user = user
    member.save(update_fields=["status", "status_since"])
    if change.status in EXITS:
        reason = (
            Move.CloseReason.AGED_OUT
            if change.status == MemberStatus.AGED_OUT
            else Move.CloseReason.LEFT_LEAGUE
        )
        moves_close_for_exit(
            member=member, user=user, reason=reason, note=change.get_status_display()
        )


def member_exit_propose(*, member, status, effective_on, reason, user=None):
    """Record (or, for 停止团籍 and 开除团籍, propose) a change of ``member``'s status.

    Returns the :class:`StatusChange`: in effect at once, or awaiting the committee above.
    """
    if user is not None:
        _require(access.can_propose_status_change(user, member.branch))
    with transaction.atomic():
        fresh = _locked(member)
        _check_proposal(fresh, status, effective_on)
        needs_approval = status in NEEDS_APPROVAL
        now = timezone.now()
        change = StatusChange(
            member=fresh,
            status=status,
            previous_status=fresh.status,
            effective_on=effective_on,
            reason=(reason or "").strip(),
            state=StatusChange.State.PROPOSED if needs_approval else StatusChange.State.APPROVED,
            proposed_by=user,
            decided_by=None if needs_approval else user,
            decided_at=None if needs_approval else now,
        )
        change.full_clean()
        change.save()
        if not needs_approval:
            _apply(change, fresh, user)
    member.refresh_from_db(fields=["status", "status_since"])
    return change


def members_confirm_aged_out(*, members, effective_on, reason, user=None):
    """Confirm 超龄离团 for many members at once, all or none."""
    changes = []
    with transaction.atomic():
        for member in members:
            changes.append(
                member_exit_propose(
                    member=member,
                    status=MemberStatus.AGED_OUT,
                    effective_on=effective_on,
                    reason=reason,
                    user=user,
                )
            )
    return changes


def _locked_proposal(change):
    fresh = StatusChange.objects.select_for_update().get(pk=change.pk)
    if fresh.state != StatusChange.State.PROPOSED:
        raise ValidationError(_("This proposal has already been decided."))
    return fresh


def member_exit_approve(*, change, user=None, note=""):
    """The committee above approves a proposed 停止团籍 or 开除团籍; it takes effect."""
    if user is not None:
        _require(access.can_decide_status_change(user, change.member.branch))
    with transaction.atomic():
        fresh = _locked_proposal(change)
        member = _locked(fresh.member)
        if member.status not in IN_LEAGUE:
            raise ValidationError(_("This member has already left the League."))
        fresh.state = StatusChange.State.APPROVED
        fresh.decided_by = user
        fresh.decided_at = timezone.now()
        fresh.decision_note = (note or "").strip()
        fresh.full_clean()
        fresh.save()
        _apply(fresh, member, user)
    return fresh


def member_exit_refuse(*, change, user=None, note):
    """The committee above refuses a proposal, saying why; the member stays as they were."""
    if user is not None:
        _require(access.can_decide_status_change(user, change.member.branch))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"decision_note": _("Say why the proposal is refused.")})
    with transaction.atomic():
        fresh = _locked_proposal(change)
        fresh.state = StatusChange.State.REFUSED
        fresh.decided_by = user
        fresh.decided_at = timezone.now()
        fresh.decision_note = note
        fresh.full_clean()
        fresh.save()
    return fresh


def member_exit_reverse(*, member, reason, user=None, effective_on=None):
    """恢复团籍: a committee above the branch restores a member who left, with a reason.

    A retained member returns to 在团 the same way.
    """
    if user is not None:
        _require(access.can_decide_status_change(user, member.branch))
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic():
        fresh = _locked(member)
        if fresh.status == MemberStatus.ACTIVE:
            raise ValidationError({"status": _("This member is in the League.")})
        now = timezone.now()
        change = StatusChange(
            member=fresh,
            status=MemberStatus.ACTIVE,
            previous_status=fresh.status,
            effective_on=effective_on,
            reason=(reason or "").strip(),
            state=StatusChange.State.APPROVED,
            proposed_by=user,
            decided_by=user,
            decided_at=now,
        )
        change.full_clean()
        change.save()
        _apply(change, fresh, user)
    member.refresh_from_db(fields=["status", "status_since"])
    return change

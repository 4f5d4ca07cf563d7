"""Moved members (流动团员): recording moves, following them up, report-in, graduates in bulk.

Who does what, decided through :mod:`branches.access` (capability ``FOLLOW_MOVES``):

* the *developing side* — users whose scope holds the member's developing organisation, which
  stays responsible until the member reports — records contacts and closes moves;
* a move is recorded by the developing side or by the side of the member's current branch;
* the *receiving side* — users whose scope holds the branch the member reports to, inside the
  destination organisation — confirms a report-in; the member's current branch then changes.
  A developing committee never takes into its own scope a member held by another committee:
  it records where the member went, and the holder's consent (the holder recorded the move)
  or a receiving side other than itself is needed (:func:`branches.access.can_move_member`).
  For a destination outside this system (a township or street, another province) nobody here can
  confirm, so the developing side records the report-in with a note of where it took place.

Every service validates with ``full_clean()`` inside ``transaction.atomic``; a user of the wrong
side gets ``PermissionDenied`` (views look moves up through the scoped querysets first, so that
outsiders see 404).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches import access
from branches.models import Organization
from members.models import Member
from members.models.moves import (
    OPEN_STATES,
    PENDING_STATES,
    DestinationKind,
    Move,
    State,
    Step,
)
from members.moves.classes import (  # noqa: F401  (graduating classes, named here too)
    GRADUATES_AHEAD_DAYS,
    class_members_with_moves,
    graduated_empty_classes,
    graduating_classes,
    graduation_dates_set,
)
from members.moves.sides import (  # noqa: F401  (who may act, named here too)
    FOLLOW,
    _require,
    can_record_move,
    holder_consented,
    is_developing_side,
    is_receiving_side,
)
from members.watch import announce, guard_write, member_places_in, member_record


class MoveBatchError(ValidationError):
    """Some entries of a batch were rejected; ``by_entry`` maps each entry's index to its error.

    Nothing of the batch was saved.
    """

    def __init__(self, by_entry):
        self.by_entry = dict(by_entry)
        super().__init__(
            _("%(count)d of the moves were rejected; none was recorded.")
            % {"count": len(self.by_entry)}
        )


# --- recording a move ---------------------------------------------------------------------------


def infer_destination_kind(*, organization, county_code, township, other_province):
    """The kind of destination from the fields given; exactly one kind must be filled."""
    given = [
        kind
        for kind, filled in (
            (DestinationKind.ORGANIZATION, organization is not None),
            (DestinationKind.TOWNSHIP, bool(county_code or township)),
            (DestinationKind.OTHER_PROVINCE, bool(other_province)),
        )
        if filled
    ]
    if len(given) != 1:
        raise ValidationError(
            {
                "destination_kind": _(
                    "Give exactly one destination: an organisation code in this system, a county "
                    "division code with a township or street, or another province's system."
                )
            }
        )
    return given[0]


def move_build(
    *,
    member,
    reason,
    moved_on,
    destination_organization=None,
    destination_county_code="",
    destination_township="",
    destination_other_province="",
    note="",
    destination_kind=None,
):
    """An unsaved move of ``member`` from their current branch; the kind is inferred if not given."""
    county_code = (destination_county_code or "").strip()
    township = (destination_township or "").strip()
    other = (destination_other_province or "").strip()
    if destination_kind is None:
        destination_kind = infer_destination_kind(
            organization=destination_organization,
            county_code=county_code,
            township=township,
            other_province=other,
        )
    return Move(
        member=member,
        developing_organization_id=member.developing_organization_id,
        from_branch_id=member.branch_id,
        reason=reason,
        moved_on=moved_on,
        destination_kind=destination_kind,
        destination_organization=destination_organization,
        destination_county_code=county_code,
        destination_township=township,
        destination_other_province=other,
        note=(note or "").strip(),
    )


def move_validate_new(*, move, user=None):
    """Check an unsaved move: the user's side, the fields and the one-pending-move rule."""
    if user is not None:
        _require(can_record_move(user, move.member))
    if not move.member.in_league:
        raise ValidationError(
            {"member": _("This member has left the League; there is no move to follow.")}
        )
    # Counted by the organisation that developed the member, whoever built the move.
    move.developing_organization_id = move.member.developing_organization_id
    move.full_clean()


def move_save_new(*, move, user=None):
    """Validate and save an unsaved move built by :func:`move_build`."""
    with transaction.atomic():
        move_validate_new(move=move, user=user)
        move.created_by = user
        move.sent_on = timezone.localdate()
        move._change_reason = Step.SENT
        move.save()
        announce("move_sent", move=move)
    return move


def move_create(*, member, reason, moved_on, user=None, **destination):
    """Record that ``member`` moved on ``moved_on`` for ``reason`` to the given destination.

    ``destination`` takes the keyword arguments of :func:`move_build`: an organisation, or a
    county division code with a township, or another province's system, and a note.
    """
    move = move_build(member=member, reason=reason, moved_on=moved_on, **destination)
    return move_save_new(move=move, user=user)


def moves_create_bulk(*, entries, user=None):
    """Record many moves, all or none: ``entries`` are keyword dicts for :func:`move_create`.

    Raises :class:`MoveBatchError` naming every rejected entry; nothing is saved then.
    """
    created, errors = [], {}
    with transaction.atomic():
        for index, fields in enumerate(entries):
            try:
                with transaction.atomic():
                    created.append(move_create(user=user, **fields))
            except PermissionDenied:
                errors[index] = ValidationError(_("This member is not in your scope."))
            except ValidationError as exc:
                errors[index] = exc
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise MoveBatchError(errors)
    return created


# --- following a move up ------------------------------------------------------------------------


# What each step is called in the error for a step the move's state does not allow.
STEP_ACTIONS = {
    Step.CONTACTED: gettext_lazy("record a contact"),
    Step.CONFIRMED: gettext_lazy("confirm the report-in"),
    Step.REFUSED: gettext_lazy("refuse it"),
    Step.RESENT: gettext_lazy("resend it"),
    Step.WITHDRAWN: gettext_lazy("withdraw it"),
    Step.CLOSED: gettext_lazy("close it"),
    Step.EXPIRED: gettext_lazy("mark it expired"),
}


def _locked_in(move, states, step):
    """The move re-read under a row lock, if its state allows ``step``; otherwise a clear error
    naming the state it is in (the state machine's one check)."""
    fresh = Move.objects.select_for_update().select_related("member").get(pk=move.pk)
    if fresh.state not in states:
        raise ValidationError(
            _("This move is “%(state)s”: you cannot %(action)s now.")
            % {"state": fresh.get_state_display(), "action": STEP_ACTIONS[step]}
        )
    return fresh


def _locked_pending(move, step):
    """The move re-read under a row lock; only a move waiting for an answer may take ``step``."""
    return _locked_in(move, PENDING_STATES, step)


def _stamp_user(instance, user):
    if user is not None:
        instance._history_user = user


def move_record_contact(*, move, user, note, contacted_at=None):
    """The developing side reached the member: note what was said; the move becomes contacted."""
    if user is not None:
        _require(is_developing_side(user, move))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"contact_note": _("Write down what the member said.")})
    with transaction.atomic():
        fresh = _locked_pending(move, Step.CONTACTED)
        fresh.state = State.CONTACTED
        fresh.contact_note = note
        fresh.contacted_at = contacted_at or timezone.now()
        fresh.contacted_by = user
        fresh.full_clean()
        fresh._change_reason = Step.CONTACTED
        _stamp_user(fresh, user)
        fresh.save()
    return fresh


def move_confirm_report(*, move, user, branch=None, note=""):
    """The member reported in (报到).

    For a destination in this system only the receiving side confirms, choosing the branch
    inside the destination organisation when that is a committee; the member's current branch
    becomes that branch, saved so that the member's history shows both branches. For a
    destination outside the system the developing side records where the member reported.
    """
    note = (note or "").strip()
    with transaction.atomic():
        fresh = _locked_pending(move, Step.CONFIRMED)
        member = (
            Member.objects.select_for_update(of=("self",))
            .select_related("branch", "developing_organization")
            .get(pk=fresh.member_id)
        )
        fresh.member = member
        if fresh.is_in_system:
            target = branch or fresh.destination_organization
            if not target.is_branch:
                raise ValidationError(
                    {"received_branch": _("Choose the branch the member reported to.")}
                )
            if not fresh.destination_organization.contains(target):
                raise ValidationError(
                    {"received_branch": _("The branch is not inside the destination organisation.")}
                )
            if user is not None:
                _require(is_receiving_side(user, fresh, target, member))
            if target.pk == member.branch_id:
                raise ValidationError(
                    {"received_branch": _("The member is already in this branch.")}
                )
            previous = member.branch
            member.branch = target
            member._change_reason = _("Reported in from %(old)s to %(new)s") % {
                "old": previous.name,
                "new": target.name,
            }
            _stamp_user(member, user)
            member.save(update_fields=["branch"])
            guard_write(
                kind="member",
                action="changed",
                records=[member_record(member, *member_places_in(previous, member))],
                user=user,
            )
            fresh.received_branch = target
        else:
            if user is not None:
                _require(is_developing_side(user, fresh))
            if not note:
                raise ValidationError(
                    {"report_note": _("Write down where and when the member reported.")}
                )
        fresh.state = State.REPORTED
        fresh.report_note = note
        fresh.reported_at = timezone.now()
        fresh.reported_by = user
        fresh.days_to_confirm = max((timezone.localdate(fresh.reported_at) - fresh.sent_on).days, 0)
        fresh.full_clean()
        fresh._change_reason = Step.CONFIRMED
        _stamp_user(fresh, user)
        fresh.save()
    return fresh


def move_close(*, move, user, reason, note=""):
    """The developing side stops following a member who will not report, with the reason; also
    a move the receiving side refused or that expired."""
    if user is not None:
        _require(is_developing_side(user, move))
    note = (note or "").strip()
    if reason not in Move.CloseReason.values:
        raise ValidationError({"close_reason": _("Choose a reason for closing.")})
    if reason == Move.CloseReason.OTHER and not note:
        raise ValidationError({"close_note": _("Explain why the move is closed.")})
    with transaction.atomic():
        fresh = _locked_in(move, OPEN_STATES, Step.CLOSED)
        _clear_return(fresh)
        fresh.state = State.CLOSED
        fresh.close_reason = reason
        fresh.close_note = note
        fresh.closed_at = timezone.now()
        fresh.closed_by = user
        fresh.full_clean()
        fresh._change_reason = Step.CLOSED
        _stamp_user(fresh, user)
        fresh.save()
    return fresh


def _clear_return(move):
    """Leave the refused or expired state: its details stay in the move's history."""
    move.refusal_reason = ""
    move.refusal_note = ""
    move.refused_at = None
    move.refused_by = None
    move.expired_at = None


def report_branch_choices(user, move):
    """Branches the user may confirm ``move``'s report-in to: inside the destination, in scope."""
    if not move.is_in_system:
        return Organization.objects.none()
    return access.scope_queryset(
        user,
        Organization.objects.subtree_of(move.destination_organization).filter(
            kind__in=[Organization.Kind.BRANCH, Organization.Kind.CLASS_BRANCH]
        ),
    ).exclude(pk=move.member.branch_id)


def moves_close_for_exit(*, member, user, reason, note):
    """Close ``member``'s open moves because they left the League: nobody follows them now."""
    for move in Move.objects.open().filter(member=member).select_for_update():
        _clear_return(move)
        move.state = State.CLOSED
        move.close_reason = reason
        move.close_note = note
        move.closed_at = timezone.now()
        move.closed_by = user
        move.full_clean()
        move._change_reason = Step.CLOSED
        _stamp_user(move, user)
        move.save()

"""Two-sided transfers (转接): the receiving side answers a move, the developing side follows up.

The state machine, on top of the recording and report-in of :mod:`members.moves.services`::

    sent ─► moved/contacted ─┬─ confirm (receiving side) ──────────► reported
                             ├─ refuse, with a reason (receiving) ─► refused ─┬─ resend ─► moved
                             ├─ no answer for MOVE_EXPIRY_DAYS ────► expired ─┤
                             ├─ withdraw (sender) ─────────────────► withdrawn└─ close ──► closed
                             └─ close (developing side) ───────────► closed

Only moves into an organisation of this system are answered (and so refused or expired); for a
destination outside it the developing side records the report-in itself. Every step saves the
move with its :class:`~members.models.moves.Step` as the history record's change reason, so the
move's page shows each step with who took it. A step the move's state does not allow is refused
with a Chinese error naming the state.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from branches import access
from members.models.moves import (
    PENDING_STATES,
    RETURNED_STATES,
    DestinationKind,
    Move,
    RefusalReason,
    State,
    Step,
)
from members.moves.services import (
    FOLLOW,
    _clear_return,
    _locked_in,
    _require,
    _stamp_user,
    infer_destination_kind,
    is_developing_side,
    move_confirm_report,
)
from members.tallies import counts_touched
from members.watch import announce

# --- who may act --------------------------------------------------------------------------------


def is_answering_side(user, move):
    """Whether ``user`` may refuse ``move``: its destination organisation is in their scope.

    Confirming needs more (:func:`members.moves.services.is_receiving_side`), since it moves the member.
    """
    return move.is_in_system and access.can(user, FOLLOW, move.destination_organization)


def is_sending_side(user, move):
    """Whether ``user`` may withdraw ``move``: the developing side or the branch it left."""
    return is_developing_side(user, move) or access.can(user, FOLLOW, move.from_branch)


# --- the steps ----------------------------------------------------------------------------------


def move_refuse(*, move, user, reason, note=""):
    """The receiving side refuses a move (查无此人, 不属于本组织 …): it returns to the
    developing side, which corrects and resends it or closes it."""
    note = (note or "").strip()
    if reason not in RefusalReason.values:
        raise ValidationError({"refusal_reason": _("Choose a reason for refusing.")})
    if reason == RefusalReason.OTHER and not note:
        raise ValidationError({"refusal_note": _("Explain why the move is refused.")})
    with transaction.atomic():
        fresh = _locked_in(move, PENDING_STATES, Step.REFUSED)
        if not fresh.is_in_system:
            raise ValidationError(
                _("Only a move into an organisation of this system can be refused.")
            )
        if user is not None:
            _require(is_answering_side(user, fresh))
        fresh.state = State.REFUSED
        fresh.refusal_reason = reason
        fresh.refusal_note = note
        fresh.refused_at = timezone.now()
        fresh.refused_by = user
        saved = _save_step(fresh, user, Step.REFUSED)
        announce("move_refused", move=saved)
        return saved


def move_withdraw(*, move, user, note=""):
    """The sender takes a move back before the receiving side has answered."""
    with transaction.atomic():
        fresh = _locked_in(move, PENDING_STATES, Step.WITHDRAWN)
        if user is not None:
            _require(is_sending_side(user, fresh))
        fresh.state = State.WITHDRAWN
        fresh.withdrawal_note = (note or "").strip()
        fresh.withdrawn_at = timezone.now()
        fresh.withdrawn_by = user
        return _save_step(fresh, user, Step.WITHDRAWN)


def move_resend(
    *,
    move,
    user,
    destination_organization=None,
    destination_county_code="",
    destination_township="",
    destination_other_province="",
    note=None,
):
    """The developing side corrects the destination of a refused or expired move and sends it
    again: it waits for an answer anew, counted from today."""
    county_code = (destination_county_code or "").strip()
    township = (destination_township or "").strip()
    other = (destination_other_province or "").strip()
    kind = infer_destination_kind(
        organization=destination_organization,
        county_code=county_code,
        township=township,
        other_province=other,
    )
    with transaction.atomic():
        fresh = _locked_in(move, RETURNED_STATES, Step.RESENT)
        if user is not None:
            _require(is_developing_side(user, fresh))
        _clear_return(fresh)
        fresh.destination_kind = kind
        fresh.destination_organization = (
            destination_organization if kind == DestinationKind.ORGANIZATION else None
        )
        fresh.destination_county_code = county_code
        fresh.destination_township = township
        fresh.destination_other_province = other
        if note is not None:
            fresh.note = note.strip()
        fresh.contact_note = ""
        fresh.contacted_at = None
        fresh.contacted_by = None
        fresh.state = State.MOVED
        fresh.sent_on = timezone.localdate()
        return _save_step(fresh, user, Step.RESENT)


def _save_step(move, user, step):
    move.full_clean()
    move._change_reason = step
    _stamp_user(move, user)
    move.save()
    return move


def moves_expire(*, today=None):
    """Mark expired every move into the system still unanswered ``MOVE_EXPIRY_DAYS`` after it
    was sent (on or before :func:`~members.models.moves.expiry_cutoff`). Returns how many.

    Run daily by the task :func:`members.tasks.expire_moves` and the ``expire_moves`` command.
    """
    now = timezone.now()
    with transaction.atomic():
        due = list(Move.objects.expiry_due(today).select_for_update())
        for move in due:
            move.state = State.EXPIRED
            move.expired_at = now
            move.updated_at = now
        bulk_update_with_history(
            due,
            Move,
            ["state", "expired_at", "updated_at"],
            batch_size=500,
            default_change_reason=Step.EXPIRED,
        )
        counts_touched({move.developing_organization_id for move in due}, "move")
    return len(due)


# --- answering in batches -----------------------------------------------------------------------


class BatchAction:
    CONFIRM = "confirm"
    REFUSE = "refuse"

    choices = (
        (CONFIRM, gettext_lazy("confirm the report-in")),
        (REFUSE, gettext_lazy("refuse the moves")),
    )


@dataclass
class BatchRow:
    """One move of a batch: what it was, what it becomes, or why it cannot."""

    move: Move
    result: Move | None = None
    error: str = ""
    branch_before: object = None

    @property
    def branch_after(self):
        return self.result.received_branch if self.result is not None else None


@dataclass
class BatchOutcome:
    rows: list = field(default_factory=list)
    applied: bool = False

    @property
    def errors(self):
        return [row for row in self.rows if row.error]


def _message(exc):
    if isinstance(exc, PermissionDenied):
        return _("You may not answer this move.")
    if hasattr(exc, "error_dict"):
        return "；".join(str(m) for messages in exc.message_dict.values() for m in messages)
    return "；".join(exc.messages)


def moves_answer_batch(*, moves, user, action, reason="", note="", apply=False):
    """Confirm or refuse ``moves`` together, all or nothing.

    Every move goes through the same service as one at a time, inside one transaction. Without
    ``apply`` (the preview) or when any move fails, everything is rolled back; the outcome's rows
    say, for each move, the state and branch it would get or the error.
    """
    outcome = BatchOutcome()
    with transaction.atomic():
        for move in moves:
            row = BatchRow(move=move, branch_before=move.member.branch)
            try:
                with transaction.atomic():
                    if action == BatchAction.CONFIRM:
                        row.result = move_confirm_report(move=move, user=user)
                    elif action == BatchAction.REFUSE:
                        row.result = move_refuse(move=move, user=user, reason=reason, note=note)
                    else:
                        raise ValidationError(_("Choose what to do with the moves."))
            except (ValidationError, PermissionDenied) as exc:
                row.error = _message(exc)
            outcome.rows.append(row)
        outcome.applied = apply and not outcome.errors
        if not outcome.applied:
            transaction.set_rollback(True)
    return outcome


# --- figures -----------------------------------------------------------------------------------

_figures_reader = None


def register_figures_reader(reader):
    """Install ``reader(organization)`` -> ``[(label, value), ...]``, the transfer figures of an
    organisation; the reports app, which owns the figures, installs it when it is ready."""
    global _figures_reader
    _figures_reader = reader


def transfer_figures(organization):
    """The transfer figures of ``organization`` for the moves pages (none without a reader)."""
    return _figures_reader(organization) if _figures_reader is not None else []


# --- history ------------------------------------------------------------------------------------


def _step_of(record, previous):
    """The step a history record took: its change reason, or (for records written before steps
    were named) what the change of state says."""
    if record.history_change_reason in Step.values:
        return Step(record.history_change_reason)
    if record.history_type == "+":
        return Step.SENT
    by_state = {
        State.CONTACTED: Step.CONTACTED,
        State.REPORTED: Step.CONFIRMED,
        State.CLOSED: Step.CLOSED,
        State.REFUSED: Step.REFUSED,
        State.WITHDRAWN: Step.WITHDRAWN,
        State.EXPIRED: Step.EXPIRED,
    }
    if previous is not None and previous.state in RETURNED_STATES and record.state == State.MOVED:
        return Step.RESENT
    return by_state.get(record.state)


def move_steps(move):
    """The move's history as steps, oldest first: each record with ``step`` (a
    :class:`~members.models.moves.Step` or None for an edit) and ``detail`` (reason and note)."""
    records = list(
        move.history.select_related(
            "history_user", "received_branch", "destination_organization"
        ).order_by("history_date", "history_id")
    )
    previous = None
    for record in records:
        record.step = _step_of(record, previous)
        record.step_label = record.step.label if record.step else _("edited")
        record.detail = _detail(record)
        previous = record
    return records


def _detail(record):
    step = record.step
    if step == Step.CONTACTED:
        return record.contact_note
    if step == Step.CONFIRMED:
        branch = record.received_branch.name if record.received_branch else ""
        return f"{branch} {record.report_note}".strip()
    if step == Step.REFUSED:
        return f"{record.get_refusal_reason_display()} {record.refusal_note}".strip()
    if step == Step.CLOSED:
        return f"{record.get_close_reason_display()} {record.close_note}".strip()
    if step == Step.WITHDRAWN:
        return record.withdrawal_note
    if step in (Step.SENT, Step.RESENT):
        # A history record has the move's fields but not its properties.
        destination = Move.destination_display.fget(record)
        return _("to %(destination)s") % {"destination": destination}
    return ""

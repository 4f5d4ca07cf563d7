"""The choices of a move, the one overdue and expiry rule, and the move queryset (who sees which
move). :mod:`members.models.moves` holds the model and re-exports these names."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches import access
from branches.models import Organization


class Reason(models.TextChoices):
    FURTHER_STUDY = "further_study", _("further study")
    EMPLOYMENT = "employment", _("employment")
    MILITARY = "military", _("military service")
    AWAITING_EMPLOYMENT = "awaiting_employment", _("awaiting employment")
    ABROAD = "abroad", _("going abroad (outside the mainland)")
    OTHER = "other", _("other")


class DestinationKind(models.TextChoices):
    ORGANIZATION = "organization", _("an organisation in this system")
    TOWNSHIP = "township", _("a township or street outside this system")
    OTHER_PROVINCE = "other_province", _("another province's system")


class State(models.TextChoices):
    """Where a move stands; the transitions are the services' (:mod:`members.moves.transfers`).

    ``moved`` and ``contacted`` wait for the receiving side's answer; ``refused`` and ``expired``
    are back with the developing side, which resends or closes; the rest are final.
    """

    MOVED = "moved", _("moved")
    CONTACTED = "contacted", _("contacted")
    REPORTED = "reported", _("reported")
    CLOSED = "closed", _("closed")
    REFUSED = "refused", _("refused by the receiving side")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired without an answer")


class RefusalReason(models.TextChoices):
    NOT_FOUND = "not_found", _("no such person here")
    NOT_OURS = "not_ours", _("does not belong to this organisation")
    WRONG_DETAILS = "wrong_details", _("the details are wrong")
    OTHER = "other", _("other (explain in the note)")


class Step(models.TextChoices):
    """A step in a move's history, stored as the history record's change reason."""

    SENT = "sent", _("sent")
    CONTACTED = "contacted", _("contact recorded")
    CONFIRMED = "confirmed", _("report-in confirmed")
    REFUSED = "refused", _("refused by the receiving side")
    RESENT = "resent", _("corrected and resent")
    WITHDRAWN = "withdrawn", _("withdrawn by the sender")
    CLOSED = "closed", _("closed")
    EXPIRED = "expired", _("expired without an answer")


class CloseReason(models.TextChoices):
    AGED_OUT = "aged_out", _("left the League on reaching the age limit")
    LEFT_LEAGUE = "left_league", _("left the League")
    LOST_CONTACT = "lost_contact", _("cannot be reached")
    SETTLED_ABROAD = "settled_abroad", _("settled outside the mainland")
    RECORDED_IN_ERROR = "recorded_in_error", _("recorded in error")
    OTHER = "other", _("other (explain in the note)")


# Waiting for the receiving side's answer.
PENDING_STATES = (State.MOVED, State.CONTACTED)
# Answered "no" (refused) or not at all (expired): back with the developing side.
RETURNED_STATES = (State.REFUSED, State.EXPIRED)
# Not finished: a member has at most one such move.
OPEN_STATES = PENDING_STATES + RETURNED_STATES


def overdue_days():
    """Days after the move date from which a move that has not been reported is overdue."""
    return settings.YOUTHLEAGUE.get("MOVE_OVERDUE_DAYS", 30)


def overdue_cutoff(today=None):
    """Moves dated before this day and still pending are overdue."""
    return (today or timezone.localdate()) - timedelta(days=overdue_days())


def pending_q():
    """Moves whose member has not reported yet (moved or contacted)."""
    return Q(state__in=PENDING_STATES)


def expiry_days():
    """Days without an answer after which a move into an organisation of the system expires."""
    return settings.YOUTHLEAGUE.get("MOVE_EXPIRY_DAYS", 90)


def expiry_cutoff(today=None):
    """Moves sent on or before this day and still unanswered have expired."""
    return (today or timezone.localdate()) - timedelta(days=expiry_days())


def expiry_due_q(today=None):
    """Moves into the system still waiting for an answer ``MOVE_EXPIRY_DAYS`` after sending."""
    return pending_q() & Q(
        destination_kind=DestinationKind.ORGANIZATION,
        sent_on__lte=expiry_cutoff(today),
    )


def overdue_q(today=None):
    """The one overdue rule: pending past ``MOVE_OVERDUE_DAYS`` after the move, or expired
    (marked so, or due to be marked by the next expiry run)."""
    return (
        pending_q() & Q(moved_on__lt=overdue_cutoff(today))
        | Q(state=State.EXPIRED)
        | expiry_due_q(today)
    )


class MoveQuerySet(models.QuerySet):
    def pending(self):
        """Moves whose member has not reported yet (moved or contacted)."""
        return self.filter(pending_q())

    def open(self):
        """Moves not finished: pending, refused or expired."""
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today=None):
        """Moves overdue by :func:`overdue_q`, the one rule every list and figure uses."""
        return self.filter(overdue_q(today))

    def refused(self):
        """Moves the receiving side refused that the developing side has not yet resent or
        closed (a resent move is pending again, a closed one final)."""
        return self.filter(state=State.REFUSED)

    def expiry_due(self, today=None):
        """Pending moves into the system sent ``MOVE_EXPIRY_DAYS`` or more days ago."""
        return self.filter(expiry_due_q(today))

    def visible_to(self, user):
        """Moves the user may see: the member's developing organisation, the branch they left or
        the destination organisation is in the user's scope."""
        return self.filter(access.move_visible_q(user))

    def followed_by(self, user):
        """Moves the user follows up as the developing side (records contact, closes)."""
        if not access.can(user, access.Capability.FOLLOW_MOVES):
            return self.none()
        return access.scope_queryset(user, self, via="member__developing_organization__")

    def sent_by(self, user):
        """Moves the user may withdraw as the sender: the developing side or the side of the
        branch the member left."""
        if not access.can(user, access.Capability.FOLLOW_MOVES):
            return self.none()
        return self.filter(access.move_sender_q(user))

    def incoming_for(self, user):
        """Moves into an organisation of the user's scope: the receiving side's inbox."""
        if not access.can(user, access.Capability.FOLLOW_MOVES):
            return self.none()
        return access.scope_queryset(
            user,
            self.filter(destination_kind=DestinationKind.ORGANIZATION),
            via="destination_organization__",
        )

    def with_related(self):
        """Members and people joined; the branches fetched once each, with their parent's name
        where names repeat (高三（1）班团支部 · 鼓楼区第一中学)."""
        return self.select_related(
            "member",
            "member__developing_organization",
            "contacted_by",
        ).prefetch_related(
            *(
                models.Prefetch(name, queryset=Organization.objects.with_parent_name())
                for name in ("from_branch", "destination_organization", "received_branch")
            )
        )

    def overdue_first(self, today=None):
        """Overdue moves first, then the oldest first."""
        return self.annotate(
            overdue_rank=models.Case(
                models.When(overdue_q(today), then=models.Value(0)),
                default=models.Value(1),
            )
        ).order_by("overdue_rank", "moved_on", "pk")

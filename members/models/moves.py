"""Moves (流动): a member who left for study or work, followed until they report in (报到).

The developing organisation (发展团组织) stays responsible for a moved member until they report to
a branch where they now are. A destination is an organisation in this system, a township or street
outside it (named by its GB/T 2260 county division code and its own name), or another province's
system. Writes go through :mod:`members.moves.services`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organization
from members.divisions import county_division_name, validate_county_code
from members.models.member import Member
from members.models.move_queries import (  # noqa: F401
    OPEN_STATES,
    PENDING_STATES,
    RETURNED_STATES,
    CloseReason,
    DestinationKind,
    MoveQuerySet,
    Reason,
    RefusalReason,
    State,
    Step,
    expiry_cutoff,
    expiry_days,
    expiry_due_q,
    overdue_cutoff,
    overdue_days,
    overdue_q,
    pending_q,
)
from youthleague.text import VisibleTextValidator


def _user_fk(verbose_name, related_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class Move(models.Model):
    """A member's move away from their branch, from the day they left until they report in."""

    Reason = Reason
    DestinationKind = DestinationKind
    State = State
    CloseReason = CloseReason
    RefusalReason = RefusalReason
    Step = Step

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="moves", verbose_name=_("member")
    )
    # The member's developing organisation, responsible until the member reports in; copied
    # here (and kept in step by members.tallies) so that figures by organisation need no join
    # through the member table.
    developing_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="moves_followed",
        null=True,
        editable=False,
        verbose_name=_("developing organisation"),
    )
    from_branch = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="moves_out",
        verbose_name=_("branch left"),
        help_text=_("The member's branch when they moved."),
    )
    reason = models.CharField(_("reason for moving"), max_length=30, choices=Reason.choices)
    moved_on = models.DateField(_("date of the move"))
    destination_kind = models.CharField(
        _("kind of destination"), max_length=20, choices=DestinationKind.choices
    )
    destination_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moves_in",
        verbose_name=_("destination organisation"),
    )
    destination_county_code = models.CharField(
        _("county division code"),
        max_length=6,
        blank=True,
        validators=[validate_county_code],
        help_text=_("The six-digit code of the county, district or county-level city (GB/T 2260)."),
    )
    destination_township = models.CharField(
        _("township or street"),
        max_length=50,
        blank=True,
        validators=[VisibleTextValidator(_("township or street"))],
        help_text=_("The township or street (乡镇（街道）) of origin or of the workplace."),
    )
    destination_other_province = models.CharField(
        _("other province's system"),
        max_length=100,
        blank=True,
        validators=[VisibleTextValidator(_("other province's system"))],
        help_text=_("The province and the organisation the member moved to there."),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        validators=[VisibleTextValidator(_("note"))],
        help_text=_("School, employer or unit at the destination."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.MOVED, editable=False
    )
    contact_note = models.TextField(_("contact note"), blank=True, editable=False)
    contacted_at = models.DateTimeField(_("contacted at"), null=True, blank=True, editable=False)
    contacted_by = _user_fk(_("contacted by"), "+")
    received_branch = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="moves_received",
        verbose_name=_("branch reported to"),
    )
    report_note = models.TextField(_("report note"), blank=True, editable=False)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True, editable=False)
    reported_by = _user_fk(_("report confirmed by"), "+")
    close_reason = models.CharField(
        _("reason for closing"),
        max_length=30,
        choices=CloseReason.choices,
        blank=True,
        editable=False,
    )
    close_note = models.TextField(_("closing note"), blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = _user_fk(_("closed by"), "+")
    sent_on = models.DateField(
        _("sent on"),
        default=timezone.localdate,
        editable=False,
        help_text=_("The day the move was last sent to its destination."),
    )
    refusal_reason = models.CharField(
        _("reason for refusing"),
        max_length=20,
        choices=RefusalReason.choices,
        blank=True,
        editable=False,
    )
    refusal_note = models.TextField(_("refusal note"), blank=True, editable=False)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True, editable=False)
    refused_by = _user_fk(_("refused by"), "+")
    withdrawal_note = models.TextField(_("withdrawal note"), blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = _user_fk(_("withdrawn by"), "+")
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True, editable=False)
    # Days from the last sending to the confirmation, for the median of the transfer figures.
    days_to_confirm = models.PositiveIntegerField(
        _("days to confirm"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    created_by = _user_fk(_("recorded by"), "+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    objects = MoveQuerySet.as_manager()

    class Meta:
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        ordering = ["-moved_on", "-id"]
        indexes = [
            models.Index(fields=["state", "moved_on"], name="move_state_date_idx"),
            models.Index(
                fields=["destination_organization", "state"], name="move_destination_state_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(reason__in=Reason.values), name="move_reason_valid"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="move_state_valid"),
            models.CheckConstraint(
                condition=Q(close_reason__in=["", *CloseReason.values]),
                name="move_close_reason_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        destination_kind=DestinationKind.ORGANIZATION,
                        destination_organization__isnull=False,
                        destination_county_code="",
                        destination_township="",
                        destination_other_province="",
                    )
                    | Q(
                        Exact(Length("destination_county_code"), 6),
                        ~Q(destination_township=""),
                        destination_kind=DestinationKind.TOWNSHIP,
                        destination_organization__isnull=True,
                        destination_other_province="",
                    )
                    | Q(
                        ~Q(destination_other_province=""),
                        destination_kind=DestinationKind.OTHER_PROVINCE,
                        destination_organization__isnull=True,
                        destination_county_code="",
                        destination_township="",
                    )
                ),
                name="move_destination_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(state=State.MOVED, contacted_at__isnull=True)
                | Q(state=State.CONTACTED, contacted_at__isnull=False)
                | ~Q(state__in=[State.MOVED, State.CONTACTED]),
                name="move_contact_matches_state",
            ),
            models.CheckConstraint(
                condition=Q(refusal_reason__in=["", *RefusalReason.values]),
                name="move_refusal_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(state=State.REFUSED, refused_at__isnull=False) & ~Q(refusal_reason="")
                | ~Q(state=State.REFUSED) & Q(refused_at__isnull=True, refusal_reason=""),
                name="move_refusal_matches_state",
            ),
            models.CheckConstraint(
                condition=Q(state=State.WITHDRAWN, withdrawn_at__isnull=False)
                | ~Q(state=State.WITHDRAWN) & Q(withdrawn_at__isnull=True),
                name="move_withdrawal_matches_state",
            ),
            models.CheckConstraint(
                condition=Q(state=State.EXPIRED, expired_at__isnull=False)
                | ~Q(state=State.EXPIRED) & Q(expired_at__isnull=True),
                name="move_expiry_matches_state",
            ),
            models.CheckConstraint(
                condition=Q(state=State.REPORTED, reported_at__isnull=False)
                | (
                    ~Q(state=State.REPORTED)
                    & Q(reported_at__isnull=True, received_branch__isnull=True)
                ),
                name="move_report_matches_state",
            ),
            models.CheckConstraint(
                condition=Q(received_branch__isnull=True)
                | Q(destination_kind=DestinationKind.ORGANIZATION),
                name="move_received_only_in_system",
            ),
            models.CheckConstraint(
                condition=Q(state=State.CLOSED, closed_at__isnull=False) & ~Q(close_reason="")
                | ~Q(state=State.CLOSED) & Q(closed_at__isnull=True, close_reason=""),
                name="move_close_matches_state",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=OPEN_STATES),
                name="move_one_open_per_member",
                violation_error_message=_(
                    "This member already has a move that has not been reported or closed."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.destination_display}"

    def clean(self):
        super().clean()
        errors = {}
        kind = self.destination_kind
        organization = self.destination_organization
        county, township = self.destination_county_code, self.destination_township
        other = self.destination_other_province
        if kind == DestinationKind.ORGANIZATION:
            if organization is None:
                errors["destination_organization"] = _("Give the destination organisation.")
            elif self.from_branch_id and organization.pk == self.from_branch_id:
                errors["destination_organization"] = _(
                    "The destination is the branch the member is leaving."
                )
            stray = county or township or other
        elif kind == DestinationKind.TOWNSHIP:
            if not county and "destination_county_code" not in errors:
                errors["destination_county_code"] = _("Give the county division code.")
            if not township:
                errors["destination_township"] = _("Give the township or street.")
            stray = organization or other
        elif kind == DestinationKind.OTHER_PROVINCE:
            if not other:
                errors["destination_other_province"] = _(
                    "Give the province and the organisation the member moved to."
                )
            stray = organization or county or township
        else:
            stray = None
        if stray:
            errors.setdefault(
                "destination_kind", _("Give only the destination of the kind chosen.")
            )
        if self.member_id and self.moved_on and self.moved_on < self.member.join_date:
            errors["moved_on"] = _("The move cannot be dated before the member joined.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_pending(self):
        return self.state in PENDING_STATES

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def is_returned(self):
        """Refused or expired: back with the developing side to resend or close."""
        return self.state in RETURNED_STATES

    def is_overdue(self, today=None):
        """:func:`overdue_q` for one move."""
        if self.state == State.EXPIRED:
            return True
        if not self.is_pending:
            return False
        if self.moved_on < overdue_cutoff(today):
            return True
        return self.is_in_system and self.sent_on <= expiry_cutoff(today)

    @property
    def days_since_move(self):
        return (timezone.localdate() - self.moved_on).days

    @property
    def is_in_system(self):
        return self.destination_kind == DestinationKind.ORGANIZATION

    @property
    def destination_display(self):
        """The destination as one line of text."""
        if self.destination_kind == DestinationKind.ORGANIZATION:
            return str(self.destination_organization or "")
        if self.destination_kind == DestinationKind.TOWNSHIP:
            county = county_division_name(self.destination_county_code)
            return f"{county}{self.destination_township}（{self.destination_county_code}）"
        return self.destination_other_province

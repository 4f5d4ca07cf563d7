from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organization


def metric_choices():
    """Rankable figures, from the metrics registry (so later figures need no migration)."""
    from reports.metrics import rankable_choices

    return rankable_choices()


class Direction(models.TextChoices):
    BELOW = "below", _("named when below the threshold")
    ABOVE = "above", _("named when above the threshold")


class CampaignKind(models.TextChoices):
    GENERAL = "general", _("campaign")
    REGISTRATION = "registration", _("registration year (registration and evaluation)")


class CampaignQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def registration_years(self):
        """Registration years (团籍注册 and 教育评议)."""
        return self.filter(kind=CampaignKind.REGISTRATION)

    def ranked(self):
        """Campaigns that rank organisations on a figure."""
        return self.exclude(metric="")


class Campaign(models.Model):
    """A piece of work the province sets for a year: a deadline, a figure and its threshold."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=CampaignKind.choices,
        default=CampaignKind.GENERAL,
        help_text=_(
            "A registration year: every branch registers its active members and records their "
            "education evaluation, and the committee above certifies it."
        ),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline"))
    metric = models.CharField(
        _("ranked figure"),
        max_length=40,
        blank=True,
        choices=metric_choices,
        help_text=_("Leave empty for a campaign that only collects submissions."),
    )
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("A ratio: 0.6 means 60%."),
    )
    direction = models.CharField(
        _("named when"), max_length=10, choices=Direction.choices, default=Direction.BELOW
    )
    ranked_kind = models.CharField(
        _("level ranked"),
        max_length=20,
        choices=Organization.Kind.choices,
        default=Organization.Kind.CITY,
    )
    ranked_noun = models.CharField(
        _("name of the ranked level in notices"),
        max_length=20,
        default="设区市",
        help_text=_("As the notice writes it, e.g. 设区市."),
    )
    submission_tables = models.CharField(
        _("tables to submit"),
        max_length=200,
        blank=True,
        help_text=_(
            "Comma-separated table kinds each committee submits stamped, e.g. roster,unused_numbers."
        ),
    )
    numbers_from_year = models.PositiveSmallIntegerField(
        _("numbers counted from the year"),
        null=True,
        blank=True,
        help_text=_("Empty: the year new members are counted from (2017)."),
    )
    numbers_to_year = models.PositiveSmallIntegerField(
        _("numbers counted up to the year"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: the campaign's year. The ranges of these years count in full in the "
            "campaign's figures, even before their year is over; no other range counts."
        ),
    )
    lock_after_acceptance = models.BooleanField(
        _("lock accepted records"),
        default=False,
        help_text=_(
            "Refuse changes to records an accepted submission contains until the parent "
            "reopens it; otherwise such changes are only recorded."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "deadline", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(metric="") | Q(threshold__isnull=False),
                name="campaign_metric_needs_threshold",
            ),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | Q(threshold__gte=0, threshold__lte=1),
                name="campaign_threshold_is_ratio",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="campaign_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CampaignKind.values), name="campaign_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(numbers_from_year__isnull=True)
                | Q(numbers_to_year__isnull=True)
                | Q(numbers_from_year__lte=models.F("numbers_to_year")),
                name="campaign_number_years_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    def clean(self):
        super().clean()
        if self.metric and self.threshold is None:
            raise ValidationError({"threshold": _("A ranked figure needs a threshold.")})
        if self.year is not None:
            first, last = self.number_years
            if first > last:
                raise ValidationError(
                    {
                        "numbers_from_year": _(
                            "The first year of numbers counted comes after the last (%(last)s)."
                        )
                        % {"last": last}
                    }
                )
        unknown = self.unknown_table_kinds
        if unknown:
            raise ValidationError(
                {
                    "submission_tables": _("Not a registered table: %(kinds)s.")
                    % {"kinds": ", ".join(unknown)}
                }
            )

    @property
    def is_registration(self):
        return self.kind == CampaignKind.REGISTRATION

    @property
    def number_years(self):
        """The years whose ranges the campaign's figures count, in full: ``(first, last)``.

        By default from the year new members are counted from up to the campaign's own year:
        the 2019 notice counts the numbers of 2017, 2018 and 2019, and no later range.
        """
        first = self.numbers_from_year or settings.YOUTHLEAGUE["NEW_MEMBER_SINCE"].year
        last = self.numbers_to_year or self.year
        return first, last

    @property
    def named_table_kinds(self):
        """Every table kind written in :attr:`submission_tables`, known or not."""
        return [kind.strip() for kind in self.submission_tables.split(",") if kind.strip()]

    @property
    def table_kinds(self):
        """The registered tables to submit; a name no table is registered under is left out
        (saving one is refused, but a row written before that rule or by hand may hold one)."""
        from reports.tables.base import table_kinds

        known = set(table_kinds())
        return [kind for kind in self.named_table_kinds if kind in known]

    @property
    def unknown_table_kinds(self):
        from reports.tables.base import table_kinds

        known = set(table_kinds())
        return [kind for kind in self.named_table_kinds if kind not in known]

    def is_named(self, value):
        """Whether a value of the ranked figure falls on the wrong side of the threshold."""
        if not self.metric or value is None:
            return False
        threshold = float(self.threshold)
        return value < threshold if self.direction == Direction.BELOW else value > threshold

    def deadline_for(self, organization):
        """The deadline ``organization`` was given: the nearest forward above it, or the
        campaign's own."""
        forward = self.forward_for(organization)
        return forward.internal_deadline if forward else self.deadline

    def forward_for(self, organization):
        """The forward that reached ``organization``: the one by its nearest strict ancestor."""
        ancestors = organization.ancestor_paths()
        if not ancestors:
            return None
        return (
            self.forwards.filter(organization__path__in=ancestors)
            .select_related("organization")
            .order_by("-organization__depth")
            .first()
        )


class CampaignForward(models.Model):
    """A committee passes a campaign down (转发) with its own earlier deadline and contact."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="forwards", verbose_name=_("campaign")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="campaign_forwards",
        verbose_name=_("forwarding organisation"),
    )
    internal_deadline = models.DateField(_("internal deadline"))
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), default=timezone.now, editable=False)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("forwarded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign forward")
        verbose_name_plural = _("campaign forwards")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"], name="forward_once_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.organization} · {self.campaign}"

    def clean(self):
        super().clean()
        if self.campaign_id and self.organization_id:
            given = self.campaign.deadline_for(self.organization)
            if self.internal_deadline and self.internal_deadline > given:
                raise ValidationError(
                    {
                        "internal_deadline": _(
                            "The internal deadline cannot be later than the one you were given (%(date)s)."
                        )
                        % {"date": given.isoformat()}
                    }
                )


class Snapshot(models.Model):
    """Every organisation's figures for a campaign, frozen on a date (截至…)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("campaign")
    )
    taken_on = models.DateField(_("as of"))
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    automatic = models.BooleanField(_("taken at the deadline"), default=False)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-taken_on", "-taken_at"]
        get_latest_by = "taken_at"

    def __str__(self):
        return f"{self.campaign} · {self.taken_on}"


class SnapshotFigure(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figures")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    figures = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "organization"], name="snapshot_figure_once"
            )
        ]

    def __str__(self):
        return f"{self.snapshot} · {self.organization_id}"

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from reports.models.campaigns import Campaign
from spreadsheets.tables import TABLES


class SubmissionStatus(models.TextChoices):
    # A large submission's tables are written by the task worker; until then it is PREPARING,
    # and FAILED if writing them failed (the committee then submits again).
    PREPARING = "preparing", _("being prepared")
    FAILED = "failed", _("preparation failed")
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


class SubmissionQuerySet(models.QuerySet):
    def latest_per_organization(self):
        """Only the newest version of each organisation's submission."""
        newer = Submission.objects.filter(
            campaign=models.OuterRef("campaign"),
            organization=models.OuterRef("organization"),
            version__gt=models.OuterRef("version"),
        )
        return self.exclude(models.Exists(newer))


class Submission(models.Model):
    """One version of an organisation's stamped tables sent up for a campaign (上报)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("campaign")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("organisation"),
    )
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    deadline = models.DateField(_("deadline given"))
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0, editable=False)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0, editable=False)
    error = models.CharField(_("error"), max_length=500, blank=True, editable=False)
    # Sent while children were still missing or returned: the committee names them and says why.
    override_reason = models.TextField(_("reason for submitting before the children"), blank=True)
    override_children = models.JSONField(
        _("children not accepted when submitted"), default=list, blank=True, editable=False
    )
    # An accepted version the parent reopened (撤销接收): it reads as returned, with the reason.
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["campaign", "organization", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization", "version"], name="submission_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubmissionStatus.values), name="submission_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="submission_return_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.campaign} · v{self.version}"

    def clean(self):
        super().clean()
        if self.status == SubmissionStatus.RETURNED and not self.return_reason.strip():
            raise ValidationError({"return_reason": _("Say why the submission is returned.")})

    @property
    def is_late(self):
        return timezone.localdate(self.submitted_at) > self.deadline

    @property
    def percent(self):
        """How far the worker has written a preparing submission's tables."""
        if self.status != SubmissionStatus.PREPARING:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class SubmissionFile(models.Model):
    """A frozen stamped table of a submission, stored with its SHA-256 digest."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("table"), max_length=40)
    file = models.FileField(_("file"), upload_to="submissions/%Y/")
    digest = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    verification_code = models.CharField(_("verification code"), max_length=64)

    class Meta:
        verbose_name = _("submitted table")
        verbose_name_plural = _("submitted tables")
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind"], name="submission_file_once")
        ]

    def __str__(self):
        return f"{self.submission} · {self.label}"

    @property
    def label(self):
        """The table's name for people: its label, else its title, else (unregistered) its kind."""
        table = TABLES.get(self.kind)
        if table is None:
            return self.kind
        if table.label:
            return str(table.label)
        return table.title(self.submission.organization)

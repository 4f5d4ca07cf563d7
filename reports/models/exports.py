from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization


class Channel(models.TextChoices):
    WEB = "web", _("download")
    COMMAND = "command", _("command")
    TASK = "task", _("background export")
    SUBMISSION = "submission", _("submission")


class ExportLog(models.Model):
    """Who exported which table of which organisation, when, and how many rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("table"), max_length=40)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organization_code = models.CharField(_("organisation code"), max_length=32)
    rows = models.PositiveIntegerField(_("rows"))
    stamped = models.BooleanField(_("stamped"), default=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    options = models.JSONField(_("options"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.organization_code}"


class ExportJob(models.Model):
    """A large export running in the background, with its progress and its file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    options = models.JSONField(default=dict, blank=True)
    stamp = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")) | Q(rows_total=0),
                name="export_job_progress_bounded",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.organization_id} {self.status}"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(self.rows_done * 100 / self.rows_total) if self.rows_total else 0

"""Large uploads imported by the task worker, with their progress and their outcome."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded file on its way through a dry run and, when confirmed, the import."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    #: where the TableImport is defined: [dotted path, keyword arguments] (TableImport.origin)
    origin = models.JSONField()
    #: the uploaded file's name in the private pending folder; cleared once it is deleted
    file_name = models.CharField(max_length=100, blank=True)
    #: where the user goes once the import is done (the list the rows land in)
    back_url = models.CharField(max_length=300, blank=True)
    #: the uploader's language, in which the worker writes the outcome
    language = models.CharField(max_length=10, blank=True)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_read = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    #: the rejected rows as [[row number or null, message], ...], at most MAX_REPORTED_ERRORS
    errors = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.title} {self.status}"

    @property
    def ok(self):
        return self.status == self.Status.DONE and not self.errors

    @property
    def stalled(self):
        """Running for longer than any import takes: the worker stopped (its transaction, and
        so the import, was rolled back with it)."""
        limit = timedelta(minutes=settings.IMPORT_STALLED_AFTER_MINUTES)
        return (
            self.status == self.Status.RUNNING
            and self.started_at is not None
            and timezone.now() - self.started_at > limit
        )

    @property
    def waiting(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING) and not self.stalled

    @property
    def confirmable(self):
        """A dry run that accepted every row, whose file still waits for the import."""
        return self.ok and self.dry_run and bool(self.file_name)

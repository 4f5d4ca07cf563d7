"""Uploaded spreadsheets on their way to an import: the form, the private folder, the worker.

A file is written to disk as it arrives (never held whole in memory) under a random name in
a private folder. A file larger than ``settings.BACKGROUND_IMPORT_BYTES`` is not read in the
request at all: an :class:`ImportJob` runs its dry run, and after the user confirms, its
import, in the task worker, while a page shows the progress and then the outcome.
"""

import importlib
import logging
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spreadsheets.importing import MAX_REPORTED_ERRORS, TableImport
from spreadsheets.models import ImportJob
from spreadsheets.reader import limit

logger = logging.getLogger(__name__)

#: rows between two progress updates of a background import
PROGRESS_EVERY = 2000


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """Every upload goes to a temporary file as it arrives, never into memory, and stops being
    written once it passes the upload size limit: the reported size stays true, so the form
    refuses the file, but a huge request cannot fill the disk."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received <= limit("MAX_FILE_BYTES") + len(raw_data):
            self.file.write(raw_data)


#: what the file picker offers; the reader tells the kind from the file's bytes
UPLOAD_ACCEPT = ".xlsx,.xls,.ods,.csv"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx, .xls, .ods or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > limit("MAX_FILE_BYTES"):
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": limit("MAX_FILE_BYTES") // 2**20}
            )
        return upload


def pending_dir():
    """The private folder where uploads wait between the dry run and the import."""
    folder = Path(getattr(settings, "IMPORT_PENDING_DIR", settings.MEDIA_ROOT / "pending-imports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_store(upload):
    """Write an uploaded file to the pending folder chunk by chunk; returns its random name."""
    name = f"{secrets.token_hex(16)}.xlsx"
    with (pending_dir() / name).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return name


def runs_in_background(upload):
    """Whether an upload is large enough to be imported by the worker."""
    return upload.size > settings.BACKGROUND_IMPORT_BYTES


# --- where an import is defined -----------------------------------------------------------------


def import_origin(table_import):
    """``[dotted path, kwargs]`` from which a worker rebuilds ``table_import``."""
    if table_import.origin is not None:
        path, kwargs = table_import.origin
        return [path, dict(kwargs)]
    module = importlib.import_module(table_import.resource_class.__module__)
    for name, value in vars(module).items():
        if value is table_import:
            return [f"{module.__name__}.{name}", {}]
    raise ValueError(f"{table_import.name} has no origin a worker could rebuild it from")


def import_from_origin(origin):
    path, kwargs = origin
    module_name, attribute = path.rsplit(".", 1)
    found = getattr(importlib.import_module(module_name), attribute)
    table_import = found if isinstance(found, TableImport) else found(**kwargs)
    if not isinstance(table_import, TableImport):
        raise TypeError(f"{path} is not a TableImport")
    return table_import


# --- the jobs -----------------------------------------------------------------------------------


def _enqueue(job):
    from spreadsheets.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))


def import_job_start(*, user, table_import, file_name, back_url=""):
    """Queue the dry run of a stored upload; the worker runs it."""
    job = ImportJob.objects.create(
        user=user,
        title=str(table_import.title)[:200],
        origin=import_origin(table_import),
        file_name=file_name,
        back_url=back_url,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    _enqueue(job)
    return job


def import_job_confirm(*, job):
    """Queue the import of a dry run that accepted every row; False when there is none."""
    with transaction.atomic():
        claimed = (
            ImportJob.objects.filter(
                pk=job.pk, status=ImportJob.Status.DONE, dry_run=True, rejected=0
            )
            .exclude(file_name="")
            .update(
                dry_run=False,
                status=ImportJob.Status.QUEUED,
                rows_read=0,
                summary="",
                finished_at=None,
            )
        )
        if claimed:
            _enqueue(job)
    return bool(claimed)


def _discard_file(job):
    if job.file_name:
        (pending_dir() / job.file_name).unlink(missing_ok=True)
        job.file_name = ""


def import_job_run(job_id):
    """Run a queued job's dry run or import (the worker's side)."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    ):
        return None
    job = ImportJob.objects.select_related("user").get(pk=job_id)

    def progress(count):
        if count % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(rows_read=count)

    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            table_import = import_from_origin(job.origin)
            outcome = table_import.run(
                pending_dir() / job.file_name,
                user=job.user,
                dry_run=job.dry_run,
                on_progress=progress,
            )
        except Exception:  # the page must say the import failed rather than spin forever
            logger.exception("Background import %s failed", job.pk)
            job.status = ImportJob.Status.FAILED
            job.summary = _(
                "The import stopped because of a server error; nothing was imported. "
                "Please try again."
            )
            _discard_file(job)
        else:
            job.status = ImportJob.Status.FAILED if outcome.failed else ImportJob.Status.DONE
            job.rows_read = job.total = outcome.total
            job.created, job.updated = outcome.created, outcome.updated
            job.rejected = outcome.rejected or (0 if outcome.ok else 1)
            job.errors = [[e.row, e.message] for e in outcome.errors[:MAX_REPORTED_ERRORS]]
            job.summary = outcome.summary()
            if not (outcome.ok and job.dry_run):
                _discard_file(job)
    job.finished_at = timezone.now()
    job.save()
    return job.status

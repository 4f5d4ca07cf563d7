"""Large exports as background tasks, with progress the user can watch."""

import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from reports.models import Channel, ExportJob
from reports.submissions.exporting import export_write
from reports.tables.base import get_table
from youthleague.db_router import reads_from_replica

logger = logging.getLogger(__name__)


def export_job_start(*, user, kind, organization, stamp=False, options=None):
    """Queue an export; the worker runs it (the immediate backend runs it at once)."""
    from reports.tasks import run_export_job

    options = options or {}
    table = get_table(kind)
    job = ExportJob.objects.create(
        user=user,
        kind=kind,
        organization=organization,
        options=options,
        stamp=stamp,
        rows_total=table.count(organization, user=user, **options),
    )
    transaction.on_commit(lambda: run_export_job.enqueue(job.pk))
    return job


def export_job_run(job_id):
    job = ExportJob.objects.select_related("organization", "user").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return job.status
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(rows):
        ExportJob.objects.filter(pk=job.pk).update(rows_done=min(rows, job.rows_total))

    try:
        # The rows may come from a replica: the job's own progress writes go to the primary.
        with tempfile.TemporaryFile(suffix=".xlsx") as handle, reads_from_replica():
            result = export_write(
                table=get_table(job.kind),
                organization=job.organization,
                target=handle,
                user=job.user,
                stamp=job.stamp,
                channel=Channel.TASK,
                on_progress=progress,
                **job.options,
            )
            handle.seek(0)
            name = f"{job.kind}-{job.organization.code}-{timezone.localdate():%Y%m%d}.xlsx"
            job.file.save(name, File(handle), save=False)
        job.rows_total = max(job.rows_total, result.rows)
        job.rows_done = result.rows
        job.status = ExportJob.Status.DONE
    except Exception as exc:  # the job page must say it failed rather than spin forever
        logger.exception("Background export %s failed", job.pk)
        job.status = ExportJob.Status.FAILED
        job.error = str(exc)[:500]
    job.finished_at = timezone.now()
    job.save()
    return job.status

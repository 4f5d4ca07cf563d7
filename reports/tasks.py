"""Background work of the reports app (run by `manage.py db_worker`).

The export and submission tasks are defined beside the work they run, so that queueing them
needs no import back from here; this module names every task of the app in one place.
"""

from django_tasks import default_task_backend, task

from reports.daily import (  # noqa: F401
    schedule_notification_digest,
    send_notification_digest,
)
from reports.models import Campaign
from reports.snapshots import deadline_moment, snapshot_take
from reports.submissions.exporting import run_export_job  # noqa: F401
from reports.submissions.services import prepare_submission  # noqa: F401


@task()
def snapshot_at_deadline(campaign_id):
    """Freeze the campaign's figures as of its deadline, unless that is already done."""
    campaign = Campaign.objects.filter(pk=campaign_id, is_active=True).first()
    if campaign is None or campaign.snapshots.filter(automatic=True).exists():
        return None
    return snapshot_take(campaign=campaign, taken_on=campaign.deadline, automatic=True).pk


def schedule_deadline_snapshot(campaign):
    """Queue the deadline snapshot; backends that cannot defer rely on `snapshot_due` instead."""
    if not default_task_backend.supports_defer:
        return None
    return snapshot_at_deadline.using(run_after=deadline_moment(campaign)).enqueue(campaign.pk)

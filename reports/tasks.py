"""Background work of the reports app (run by `manage.py db_worker`)."""

from django_tasks import default_task_backend, task

from reports.models import Campaign
from reports.snapshots import deadline_moment, snapshot_take


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


@task()
def run_export_job(job_id):
    """Write a large export to a file, reporting progress on the job as it goes."""
    from reports.submissions.background import export_job_run

    return export_job_run(job_id)


@task()
def prepare_submission(submission_id):
    """Write and freeze the stamped tables of a large submission."""
    from reports.submissions.services import submission_prepare

    return submission_prepare(submission_id)


@task()
def send_notification_digest():
    """Deadline reminders and the daily e-mail digest; queues itself for the next day when the
    backend can defer (the command ``send_notification_digest`` is the cron fallback)."""
    from reports.notifications import daily_run

    sent = daily_run()
    schedule_notification_digest()
    return sent


def schedule_notification_digest():
    """Queue the next daily digest, when the backend can run a task later."""
    if not default_task_backend.supports_defer:
        return None
    from reports.notifications import next_digest_moment

    return send_notification_digest.using(run_after=next_digest_moment()).enqueue()

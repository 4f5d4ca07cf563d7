"""The year-end freeze as a background task (run by ``manage.py db_worker``)."""

from django_tasks import default_task_backend, task

from reports.statistics.freeze import next_freeze_moment, statistics_freeze_due


@task()
def freeze_year_end_statistics():
    """Freeze the year due (December 31), then queue next year's run."""
    year, frozen = statistics_freeze_due()
    schedule_year_end_freeze()
    return {"year": year, "organizations": frozen}


def schedule_year_end_freeze(now=None):
    """Queue the freeze for the next December 31; backends that cannot defer rely on the
    ``freeze_statistics`` command run daily from cron instead."""
    if not default_task_backend.supports_defer:
        return None
    return freeze_year_end_statistics.using(run_after=next_freeze_moment(now)).enqueue()

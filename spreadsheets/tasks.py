"""Background work of the spreadsheets package (run by `manage.py db_worker`)."""

from django_tasks import task


@task()
def run_import_job(job_id):
    """Run an uploaded file's dry run or import, reporting progress on the job as it goes."""
    from spreadsheets.uploads import import_job_run

    return import_job_run(job_id)

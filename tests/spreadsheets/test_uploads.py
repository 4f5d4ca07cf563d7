"""Large uploads: queued for the task worker at once, checked and imported there, with a page
that shows the progress and then the outcome."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.models import Member
from members.tables import roster
from spreadsheets.models import ImportJob
from spreadsheets.uploads import pending_dir
from tests.members.conftest import roster_row
from tests.spreadsheets import hostile
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:members_member_table_import"


def roster_file(tmp_path, small_province, rows=None):
    rows = rows or [roster_row(small_province.branch, 1), roster_row(small_province.branch, 2)]
    return write_xlsx(tmp_path / "r.xlsx", roster.HEADER, rows)


def upload(client, path, url=None, data=None):
    with path.open("rb") as handle:
        return client.post(url or reverse(IMPORT_URL), {**(data or {}), "file": handle})


def test_an_upload_over_the_threshold_is_queued_and_not_read_in_the_request(
    client, tmp_path, small_province
):
    """A file over BACKGROUND_IMPORT_BYTES (1 MB by default) is stored and queued: the request
    returns at once, reads no row, and the job page refreshes itself while it waits."""
    rows = [roster_row(small_province.branch, 1)]
    path = hostile.oversized(tmp_path, roster.HEADER, rows, size=1_200_000)
    client.force_login(small_province.secretary)
    response = upload(client, path)  # on_commit callbacks do not run: the worker has not started
    job = ImportJob.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("spreadsheets:import_job", args=[job.pk])
    assert (job.status, job.dry_run, job.rows_read) == (ImportJob.Status.QUEUED, True, 0)
    assert (pending_dir() / job.file_name).stat().st_size == path.stat().st_size
    assert not Member.objects.exists()
    page = client.get(response.url)
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert 'http-equiv="refresh"' in body and "排队中" in body


def test_the_worker_checks_then_imports_after_confirmation(
    client, tmp_path, small_province, settings, django_capture_on_commit_callbacks
):
    """Dry run in the worker, the outcome on the page, the import after confirming; the file
    is removed once imported."""
    settings.BACKGROUND_IMPORT_BYTES = 0
    client.force_login(small_province.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, roster_file(tmp_path, small_province))
    job = ImportJob.objects.get()
    assert (job.status, job.dry_run, job.total) == (ImportJob.Status.DONE, True, 2)
    assert not Member.objects.exists()
    page = client.get(response.url).content.decode()
    assert "refresh" not in page and "试导入" in page and 'id="job-confirm"' in page
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("spreadsheets:import_job_confirm", args=[job.pk]))
    assert confirmed.status_code == HTTPStatus.FOUND
    job.refresh_from_db()
    assert (job.status, job.dry_run, job.created, job.file_name) == (
        ImportJob.Status.DONE,
        False,
        2,
        "",
    )
    assert Member.objects.count() == 2
    assert {h.history_user for h in Member.history.all()} == {small_province.secretary}
    page = client.get(response.url).content.decode()
    assert "已导入2行" in page and 'id="job-confirm"' not in page
    # a second confirmation imports nothing more
    client.post(reverse("spreadsheets:import_job_confirm", args=[job.pk]))
    assert Member.objects.count() == 2


def test_rejected_rows_are_shown_with_their_numbers(
    client, tmp_path, small_province, settings, django_capture_on_commit_callbacks
):
    """A dry run with a bad row lists it by its Excel row number; nothing can be confirmed."""
    settings.BACKGROUND_IMPORT_BYTES = 0
    sp = small_province
    rows = [roster_row(sp.branch, 1), roster_row(sp.foreign_branch, 2)]
    client.force_login(sp.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, roster_file(tmp_path, sp, rows))
    job = ImportJob.objects.get()
    assert job.rejected == 1 and {row for row, _message in job.errors} == {4}
    assert job.file_name == ""
    page = client.get(response.url).content.decode()
    assert "<td>4</td>" in page and 'id="job-confirm"' not in page
    client.post(reverse("spreadsheets:import_job_confirm", args=[job.pk]))
    assert not Member.objects.exists()


def test_a_job_is_only_the_uploaders(client, tmp_path, small_province, settings):
    """Anyone else gets 404 for the page and for the confirmation."""
    settings.BACKGROUND_IMPORT_BYTES = 0
    client.force_login(small_province.secretary)
    upload(client, roster_file(tmp_path, small_province))
    job = ImportJob.objects.get()
    client.force_login(small_province.county_user)
    assert (
        client.get(reverse("spreadsheets:import_job", args=[job.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    confirm = client.post(reverse("spreadsheets:import_job_confirm", args=[job.pk]))
    assert confirm.status_code == HTTPStatus.NOT_FOUND


def test_a_hostile_file_fails_in_the_worker_with_its_message(
    client, tmp_path, small_province, settings, django_capture_on_commit_callbacks
):
    """The worker applies the same guards; the page shows the message."""
    settings.BACKGROUND_IMPORT_BYTES = 0
    client.force_login(small_province.secretary)
    path = hostile.zip_bomb(tmp_path, roster.HEADER, [roster_row(small_province.branch, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, path)
    assert "压缩炸弹" in client.get(response.url).content.decode()
    assert ImportJob.objects.get().file_name == ""


def test_the_class_page_hands_a_large_upload_to_the_worker(
    client, tmp_path, small_province, settings
):
    """The graduating class's upload takes the same path."""
    from tests import factories

    settings.BACKGROUND_IMPORT_BYTES = 0
    sp = small_province
    classes = factories.class_branch(sp.county, code="C1-K1-CL1", name="高三1班团支部")
    factories.MemberFactory(branch=classes)
    client.force_login(sp.county_user)
    url = reverse("moves:class", args=[classes.code])
    response = upload(client, roster_file(tmp_path, sp), url=url, data={"action": "upload"})
    job = ImportJob.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert job.back_url == url and job.origin[1] == {"code": classes.code}


def test_a_database_failure_in_the_worker_is_reported_as_such(
    client, tmp_path, small_province, settings, django_capture_on_commit_callbacks
):
    """The job fails with the database message, not a row error; nothing is written."""
    from django.db import InterfaceError, connection

    from tests.spreadsheets.test_importing import MESSAGE, fail_on

    settings.BACKGROUND_IMPORT_BYTES = 0
    client.force_login(small_province.secretary)
    # The upload's dry run writes nothing: the database fails on its check of the ID numbers.
    wrapper = fail_on('FROM "members_member"', InterfaceError("connection already closed"))
    with connection.execute_wrapper(wrapper), django_capture_on_commit_callbacks(execute=True):
        response = upload(client, roster_file(tmp_path, small_province))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.summary == MESSAGE and job.errors == [[None, MESSAGE]]
    assert MESSAGE in client.get(response.url).content.decode()
    assert not Member.objects.exists()


def test_an_oversized_upload_is_refused_and_not_stored_past_the_limit(
    client, tmp_path, small_province, settings
):
    """The form says the file is too large; the temporary file stops growing at the limit."""
    from spreadsheets.uploads import BoundedUploadHandler

    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_FILE_BYTES": 2**20}
    rows = [roster_row(small_province.branch, 1)]
    path = hostile.oversized(tmp_path, roster.HEADER, rows, size=3 * 2**20)
    client.force_login(small_province.secretary)
    response = upload(client, path)
    assert response.status_code == HTTPStatus.OK
    assert "文件超过1 MB" in response.content.decode()
    assert not ImportJob.objects.exists() and not Member.objects.exists()

    handler = BoundedUploadHandler()
    handler.new_file("file", "big.xlsx", "application/octet-stream", 3 * 2**20)
    chunk = b"\0" * 64 * 1024
    for start in range(0, 3 * 2**20, len(chunk)):
        handler.receive_data_chunk(chunk, start)
    stored = handler.file_complete(3 * 2**20)
    assert stored.size == 3 * 2**20
    assert (2**20) <= len(stored.read()) <= 2**20 + len(chunk)


def test_a_job_whose_worker_stopped_says_so(client, small_province):
    """A job still running long after it started is reported as stopped, not left spinning."""
    from datetime import timedelta

    from django.utils import timezone

    job = ImportJob.objects.create(
        user=small_province.secretary,
        title="名册",
        origin=["members.importing.ROSTER_IMPORT", {}],
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now() - timedelta(hours=3),
    )
    client.force_login(small_province.secretary)
    body = client.get(reverse("spreadsheets:import_job", args=[job.pk])).content.decode()
    assert "后台任务进程在导入过程中停止" in body and "refresh" not in body

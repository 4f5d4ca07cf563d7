"""Downloads, background exports with progress, and the export log."""

import io
from http import HTTPStatus

import pytest
from django.urls import reverse

from branches.models import Role
from reports.models import ExportJob, ExportLog
from reports.submissions.verifying import verify_workbook
from tests import factories
from tests.xlsx import read_xlsx

pytestmark = pytest.mark.django_db


def test_small_download_is_immediate_and_logged(client, scripted_province, people_table):
    user = factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="c1")
    client.force_login(user)
    response = client.get(reverse("reports:download", args=["test_people"]), {"stamp": "1"})
    assert response.status_code == HTTPStatus.OK
    data = b"".join(response.streaming_content)
    assert verify_workbook(io.BytesIO(data)).ok
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.organization_code, log.rows, log.stamped, log.channel) == (
        user,
        "test_people",
        "C1",
        7,
        True,
        "web",
    )


def test_download_outside_scope_is_404(client, scripted_province, people_table):
    client.force_login(factories.user_with_role(scripted_province.c1, Role.COMMITTEE))
    url = reverse("reports:download", args=["test_people"])
    assert client.get(url, {"org": "C2"}).status_code == HTTPStatus.NOT_FOUND
    assert client.get(url, {"org": "K1", "stamp": "1"}).status_code == HTTPStatus.NOT_FOUND
    assert (
        client.get(reverse("reports:download", args=["nope"])).status_code == HTTPStatus.NOT_FOUND
    )
    assert not ExportLog.objects.exists()


def test_large_export_runs_in_the_background(
    client, settings, scripted_province, people_table, django_capture_on_commit_callbacks
):
    settings.BACKGROUND_EXPORT_ROWS = 3
    user = factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="c1")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:download", args=["test_people"]))
    assert response.status_code == HTTPStatus.FOUND
    job = ExportJob.objects.get()
    assert response.url == reverse("reports:export_job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.percent) == ("done", 7, 7, 100)
    page = client.get(response.url)
    assert "job-download" in page.content.decode()
    file_response = client.get(reverse("reports:export_job_download", args=[job.pk]))
    rows = read_xlsx(io.BytesIO(b"".join(file_response.streaming_content)))
    assert len(rows) == 2 + 7
    assert list(ExportLog.objects.order_by("id").values_list("channel", flat=True)) == [
        "task",
        "web",
    ]


def test_progress_page_refreshes_while_running(client, scripted_province):
    user = factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="c1")
    job = ExportJob.objects.create(
        user=user,
        kind="test_people",
        organization=scripted_province.c1,
        rows_total=100,
        rows_done=40,
        status="running",
    )
    client.force_login(user)
    page = client.get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "40%" in page
    other = factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="other")
    client.force_login(other)
    assert (
        client.get(reverse("reports:export_job", args=[job.pk])).status_code == HTTPStatus.NOT_FOUND
    )


def test_export_log_is_for_provincial_staff(client, scripted_province):
    url = reverse("admin:reports_exportlog_changelist")
    client.force_login(factories.user_with_role(scripted_province.root, Role.PROVINCE))
    assert client.get(url).status_code == HTTPStatus.OK
    client.force_login(factories.user_with_role(scripted_province.c1, Role.COMMITTEE))
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_admin_roster_button_runs_in_the_background_when_large(
    client, settings, scripted_province, django_capture_on_commit_callbacks
):
    """The admin's 导出新发展团员名册 is prepared by the task worker over the threshold."""
    settings.BACKGROUND_EXPORT_ROWS = 0
    user = factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="c1")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("admin:members_member_roster_export"), {"since": "2017"})
    job = ExportJob.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("reports:export_job", args=[job.pk])
    assert (job.kind, job.organization, job.options, job.status) == (
        "roster",
        scripted_province.c1,
        {"since": 2017},
        "done",
    )
    assert ExportLog.objects.get().channel == "task"


def test_a_lookup_download_logs_how_many_lines_not_which(client, scripted_province):
    """The log says what was asked without copying ID numbers into it."""
    user = factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="c1")
    client.force_login(user)
    lines = "201900010001\n11010519491231002X\n201900010002"
    response = client.post(reverse("members:lookup"), {"lines": lines, "download": "1"})
    assert response.status_code == HTTPStatus.OK
    log = ExportLog.objects.get()
    assert (log.kind, log.rows, log.options, log.stamped) == ("lookup", 3, {"lines": 3}, False)
    assert "11010519491231002X" not in str(log.options)


def test_the_stamp_rule_is_kept_by_the_export_function(tmp_path, scripted_province, people_table):
    """Stamp only as your own organisation, and only an official table, wherever it is asked."""
    from reports.submissions.exporting import StampRefused, export_write
    from spreadsheets.tables import get_table

    user = factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="c1")
    with pytest.raises(StampRefused):
        export_write(
            table=people_table,
            organization=scripted_province.k1,
            target=tmp_path / "a.xlsx",
            user=user,
            stamp=True,
        )
    with pytest.raises(StampRefused):
        export_write(
            table=get_table("class_template"),
            organization=scripted_province.cb1,
            target=tmp_path / "b.xlsx",
            user=None,
            stamp=True,
        )
    assert not ExportLog.objects.exists()


def test_the_export_door_refuses_to_work_without_the_log(monkeypatch, rf):
    """Without the reports app installed, no file leaves unlogged: the door is shut."""
    from django.core.exceptions import ImproperlyConfigured

    from spreadsheets import exporting

    monkeypatch.setattr(exporting, "_export", None)
    with pytest.raises(ImproperlyConfigured):
        exporting.export_response(rf.get("/"), kind="roster", organization=None)

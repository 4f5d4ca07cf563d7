"""An import says what happened: at once for a small file, on confirming a background one."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from members.models import Member
from spreadsheets.models import ImportJob
from tests.spreadsheets.test_uploads import roster_file, upload

pytestmark = pytest.mark.django_db


def test_confirming_a_background_import_says_it_started(
    client, tmp_path, small_province, settings, django_capture_on_commit_callbacks
):
    settings.BACKGROUND_IMPORT_BYTES = 0
    client.force_login(small_province.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, roster_file(tmp_path, small_province))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("spreadsheets:import_job_confirm", args=[job.pk]))
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["导入已开始；完成后本页显示结果。"]
    assert Member.objects.count() == 2


def test_a_small_import_says_what_it_wrote(client, tmp_path, small_province):
    client.force_login(small_province.secretary)
    checked = upload(client, roster_file(tmp_path, small_province))
    token = checked.context["token"]
    done = client.post(
        reverse("admin:members_member_table_import"), {"confirm": "1", "token": token}, follow=True
    )
    assert Member.objects.count() == 2
    assert any("2" in str(m) for m in done.context["messages"])

"""Level-by-level submission: states, versions, frozen files and who may do what."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from reports.models import Campaign, Submission, SubmissionStatus
from reports.submissions.services import (
    State,
    children_states,
    submission_accept,
    submission_create,
    submission_return,
)
from reports.submissions.verifying import verify_workbook
from tests import factories

pytestmark = pytest.mark.django_db

#: The city's children (K1, S1) owe submissions these tests do not make; the city submits over
#: them (the gate itself is tested in test_approval.py).
OVERRIDE = "区县尚未上报，按要求先行上报"


@pytest.fixture
def setup(scripted_province, people_table):
    campaign = Campaign.objects.create(
        slug="summary",
        name="加盖公章汇总表上报",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=5),
        submission_tables="test_people",
    )
    p = scripted_province
    users = {
        "province": factories.user_with_role(p.root, Role.PROVINCE, username="prov"),
        "c1": factories.user_with_role(p.c1, Role.COMMITTEE, username="c1"),
        "c2": factories.user_with_role(p.c2, Role.COMMITTEE, username="c2"),
        "k1": factories.user_with_role(p.k1, Role.COMMITTEE, username="k1"),
        "secretary": factories.user_with_role(p.b1, Role.SECRETARY, username="sec"),
    }
    return campaign, p, users


def states(campaign, parent):
    return {c.organization.code: c.state for c in children_states(campaign, parent)}


def test_submit_return_resubmit_accept(setup):
    campaign, p, users = setup
    assert states(campaign, p.root) == {
        "C1": State.NOT_SUBMITTED,
        "C2": State.NOT_SUBMITTED,
        "C3": State.NOT_SUBMITTED,
    }
    first = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
    )
    assert states(campaign, p.root)["C1"] == State.ON_TIME
    (frozen,) = first.files.all()
    assert frozen.rows == 7 and len(frozen.digest) == 64
    with frozen.file.open("rb") as handle:
        assert verify_workbook(handle).ok
    submission_return(submission=first, user=users["province"], reason="名册缺少联系电话")
    assert states(campaign, p.root)["C1"] == State.RETURNED
    second = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
    )
    assert second.version == 2
    submission_accept(submission=second, user=users["province"])
    assert states(campaign, p.root)["C1"] == State.ACCEPTED
    versions = list(Submission.objects.filter(organization=p.c1).values_list("version", "status"))
    assert sorted(versions) == [(1, SubmissionStatus.RETURNED), (2, SubmissionStatus.ACCEPTED)]


def test_late_submission(setup):
    campaign, p, users = setup
    campaign.deadline = timezone.localdate() - timedelta(days=1)
    campaign.save()
    submission_create(campaign=campaign, organization=p.c2, user=users["c2"])
    assert states(campaign, p.root)["C2"] == State.LATE


def test_cannot_submit_twice_while_pending(setup):
    campaign, p, users = setup
    submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
    )
    with pytest.raises(ValidationError):
        submission_create(
            campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
        )


@pytest.mark.parametrize("who", ["secretary", "c2", "province", "k1"])
def test_only_the_committee_itself_submits(setup, who):
    campaign, p, users = setup
    with pytest.raises(PermissionDenied):
        submission_create(campaign=campaign, organization=p.c1, user=users[who])


@pytest.mark.parametrize("who", ["c1", "c2", "k1", "secretary"])
def test_only_the_parent_decides(setup, who):
    campaign, p, users = setup
    submission = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
    )
    with pytest.raises(PermissionDenied):
        submission_accept(submission=submission, user=users[who])
    with pytest.raises(PermissionDenied):
        submission_return(submission=submission, user=users[who], reason="x")


def test_county_submission_is_decided_by_its_city(setup):
    campaign, p, users = setup
    submission = submission_create(campaign=campaign, organization=p.k1, user=users["k1"])
    submission_accept(submission=submission, user=users["c1"])
    assert states(campaign, p.c1)["K1"] == State.ACCEPTED


def test_return_needs_a_reason(setup):
    campaign, p, users = setup
    submission = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
    )
    with pytest.raises(ValidationError):
        submission_return(submission=submission, user=users["province"], reason="  ")


def test_pages_and_files_by_role(client, setup):
    campaign, p, users = setup
    submission = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
    )
    stored = submission.files.get()
    url = reverse("reports:submission_file", args=[stored.pk])
    client.force_login(users["province"])
    page = client.get(reverse("reports:submissions"), {"campaign": "summary"})
    assert page.status_code == HTTPStatus.OK
    assert [c.organization.code for c in page.context["missing"]] == ["C2", "C3"]
    assert client.get(url).status_code == HTTPStatus.OK
    client.force_login(users["c2"])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    response = client.post(reverse("reports:accept", args=[submission.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    client.force_login(users["secretary"])
    assert client.get(reverse("reports:submissions")).status_code == HTTPStatus.FORBIDDEN
    client.force_login(users["c1"])
    assert (
        client.post(reverse("reports:accept", args=[submission.pk])).status_code
        == HTTPStatus.FORBIDDEN
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_tampered_frozen_file_is_not_served(client, setup):
    campaign, p, users = setup
    stored = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
    ).files.get()
    with stored.file.open("ab") as handle:
        handle.write(b"tampered")
    client.force_login(users["province"])
    assert (
        client.get(reverse("reports:submission_file", args=[stored.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )


def test_submit_and_review_through_the_page(client, setup):
    campaign, p, users = setup
    client.force_login(users["c1"])
    client.post(
        reverse("reports:submit", args=["summary"]), {"note": "请审核", "override_reason": OVERRIDE}
    )
    submission = Submission.objects.get(organization=p.c1)
    assert submission.note == "请审核"
    client.force_login(users["province"])
    client.post(reverse("reports:return", args=[submission.pk]), {"reason": "数据有误"})
    submission.refresh_from_db()
    assert (submission.status, submission.return_reason) == (SubmissionStatus.RETURNED, "数据有误")


@pytest.fixture
def large(settings):
    """Tables of more rows than this go to the task worker (the test table has seven)."""
    settings.BACKGROUND_EXPORT_ROWS = 3


def test_large_submission_is_prepared_by_the_worker(
    setup, large, django_capture_on_commit_callbacks
):
    campaign, p, users = setup
    with django_capture_on_commit_callbacks() as queued:
        submission = submission_create(
            campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
        )
    assert (submission.status, submission.rows_total) == (SubmissionStatus.PREPARING, 7)
    assert not submission.files.exists()
    assert states(campaign, p.root)["C1"] == State.PREPARING
    with pytest.raises(ValidationError):
        submission_accept(submission=submission, user=users["province"])
    with pytest.raises(ValidationError):
        submission_create(
            campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
        )
    assert len(queued) == 1
    queued[0]()  # the worker's turn
    submission.refresh_from_db()
    assert (submission.status, submission.rows_done) == (SubmissionStatus.SUBMITTED, 7)
    (frozen,) = submission.files.all()
    assert frozen.rows == 7
    with frozen.file.open("rb") as handle:
        assert verify_workbook(handle).ok
    assert states(campaign, p.root)["C1"] == State.ON_TIME
    submission_accept(submission=submission, user=users["province"])
    assert states(campaign, p.root)["C1"] == State.ACCEPTED


def test_failed_preparation_keeps_nothing_and_allows_a_new_version(
    setup, large, monkeypatch, django_capture_on_commit_callbacks
):
    campaign, p, users = setup
    from reports.submissions import services as submissions

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(submissions, "export_write", broken)
    with django_capture_on_commit_callbacks(execute=True):
        first = submission_create(
            campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
        )
    first.refresh_from_db()
    assert (first.status, first.error) == (SubmissionStatus.FAILED, "disk full")
    assert not first.files.exists()
    assert states(campaign, p.root)["C1"] == State.NOT_SUBMITTED
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        second = submission_create(
            campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
        )
    second.refresh_from_db()
    assert (second.version, second.status) == (2, SubmissionStatus.SUBMITTED)
    assert second.files.count() == 1


def test_a_preparation_stuck_for_hours_gives_way(setup, large, django_capture_on_commit_callbacks):
    campaign, p, users = setup
    with django_capture_on_commit_callbacks(execute=False):
        stuck = submission_create(
            campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
        )
    Submission.objects.filter(pk=stuck.pk).update(submitted_at=timezone.now() - timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        fresh = submission_create(
            campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
        )
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == SubmissionStatus.FAILED and stuck.error
    assert (fresh.version, fresh.status) == (2, SubmissionStatus.SUBMITTED)


def test_the_page_shows_preparation_and_failure(
    client, setup, large, monkeypatch, django_capture_on_commit_callbacks
):
    campaign, p, users = setup
    client.force_login(users["c1"])
    page_url = reverse("reports:submissions")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("reports:submit", args=["summary"]), {"override_reason": OVERRIDE}, follow=True
        )
    body = response.content.decode()
    assert "正在生成" in body and 'http-equiv="refresh"' in body
    assert 'id="submit-form"' not in body
    Submission.objects.update(status=SubmissionStatus.FAILED, error="disk full")
    body = client.get(page_url, {"campaign": "summary"}).content.decode()
    assert "上报表格生成失败" in body and 'id="submit-form"' in body
    assert 'http-equiv="refresh"' not in body


def test_the_admin_shows_why_a_preparation_failed(
    client, setup, large, django_capture_on_commit_callbacks
):
    campaign, p, users = setup
    with django_capture_on_commit_callbacks(execute=False):
        submission = submission_create(
            campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
        )
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.FAILED, error="磁盘已满"
    )
    client.force_login(users["province"])
    response = client.get(reverse("admin:reports_submission_change", args=[submission.pk]))
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "磁盘已满" in body and "生成失败" in body


def test_the_province_is_shown_as_the_receiving_level_only(client, setup):
    """Nothing is above the province: its page neither says it has not submitted nor names a
    deadline set from above; a city's page still does."""
    campaign, p, users = setup
    client.force_login(users["province"])
    page = client.get(reverse("reports:submissions"), {"campaign": "summary"})
    assert page.status_code == HTTPStatus.OK and page.context["receives_only"]
    html = page.content.decode()
    assert 'id="receiving-level"' in html and 'id="own-submission"' not in html
    assert (
        "上级规定的时间节点" not in html and "未上报" not in html.split('id="child-submissions"')[0]
    )
    client.force_login(users["c1"])
    city = client.get(reverse("reports:submissions"), {"campaign": "summary"}).content.decode()
    assert 'id="own-submission"' in city and "上级规定的时间节点" in city


def test_submitted_files_are_named_for_people_not_by_kind(client, setup):
    campaign, p, users = setup
    submission = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason=OVERRIDE
    )
    stored = submission.files.get()
    assert stored.label == f"测试名册（{p.c1.name}）"
    client.force_login(users["province"])
    page = client.get(reverse("reports:submissions"), {"campaign": "summary"}).content.decode()
    assert stored.label in page
    assert f">{stored.kind}<" not in page

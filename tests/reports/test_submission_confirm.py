"""Accepting a submission asks first (it cannot be undone); accept and return say what happened."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from reports.models import SubmissionStatus
from reports.submissions.services import submission_create
from tests.reports.test_submissions import setup  # noqa: F401

pytestmark = pytest.mark.django_db


def test_accept_asks_for_confirmation_first(client, setup):  # noqa: F811
    campaign, p, users = setup
    submission = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason="先行上报"
    )
    client.force_login(users["province"])
    listing = client.get(reverse("reports:submissions"), {"campaign": "summary"}).content.decode()
    # The list's button opens the confirmation page; it does not post.
    assert f'href="{reverse("reports:accept", args=[submission.pk])}"' in listing
    page = client.get(reverse("reports:accept", args=[submission.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "接收后不能撤销" in page.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_accept_says_what_happened(client, setup):  # noqa: F811
    campaign, p, users = setup
    submission = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason="先行上报"
    )
    client.force_login(users["province"])
    response = client.post(reverse("reports:accept", args=[submission.pk]), follow=True)
    assert f"已接收{p.c1.name}的第1版上报。" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED


def test_return_says_what_happened(client, setup):  # noqa: F811
    campaign, p, users = setup
    submission = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason="先行上报"
    )
    client.force_login(users["province"])
    response = client.post(
        reverse("reports:return", args=[submission.pk]), {"reason": "数字有误"}, follow=True
    )
    assert f"已将{p.c1.name}的第1版上报退回修改。" in response.content.decode()


def test_the_confirmation_page_keeps_the_scope(client, setup):  # noqa: F811
    campaign, p, users = setup
    submission = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason="先行上报"
    )
    client.force_login(users["c2"])
    assert (
        client.get(reverse("reports:accept", args=[submission.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )

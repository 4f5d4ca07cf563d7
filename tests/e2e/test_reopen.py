"""The province reopens (撤销接收) an accepted city submission; the city sees why and resubmits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from branches.models import Role
from members.models import Member
from members.services import member_update
from reports.models import Campaign, Submission, SubmissionStatus
from reports.submissions.services import submission_accept, submission_create
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def accepted_city(scripted_province, people_table):
    """C1's tables accepted by the province over accepted county and school submissions, and
    one member of C1 changed since."""
    p = scripted_province
    campaign = Campaign.objects.create(
        slug="summary",
        name="加盖公章汇总表上报",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=5),
        submission_tables="test_people",
    )
    city = factories.user_with_role(p.c1, Role.COMMITTEE, username="cityuser")
    province = factories.user_with_role(p.root, Role.PROVINCE, username="provuser")
    for child in (p.k1, p.s1):
        user = factories.user_with_role(child, Role.COMMITTEE, username=f"u-{child.code}")
        submitted = submission_create(campaign=campaign, organization=child, user=user)
        submission_accept(submission=submitted, user=city)
    submitted = submission_create(campaign=campaign, organization=p.c1, user=city)
    accepted = submission_accept(submission=submitted, user=province)
    member = Member.objects.filter(branch=p.b1, join_date__year=2019).order_by("pk").first()
    member_update(member=member, phone="13900000000")
    return accepted


def test_reopen_an_accepted_submission(page, accepted_city):
    submissions = f"{page.base_url}/reports/submissions/?campaign=summary"
    log_in(page, "provuser")
    page.goto(submissions)
    row = page.locator("#child-submissions tr[data-code=C1]")
    assert "已接收" in row.locator(".child-state").inner_text()
    assert "1 项接收后的改动" in row.locator("a.changed-since").inner_text()
    assert "已接收" in page.locator("#approval-tree li[data-code=K1]").inner_text()
    row.locator(".reopen-form input[name=reason]").fill("名册与实际人数不符，请核实后重新上报")
    row.locator("button.reopen").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("#child-submissions tr[data-code=C1]")
    assert "退回" in row.locator(".child-state").inner_text()
    assert row.locator("button.reopen").count() == 0
    page.context.clear_cookies()

    log_in(page, "cityuser")
    page.goto(submissions)
    own = page.locator("#own-submission").inner_text()
    assert "名册与实际人数不符" in own and "撤销接收" in own
    page.click("#submit-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "按时上报" in page.locator("#own-state").inner_text()
    versions = Submission.objects.filter(organization=accepted_city.organization)
    assert sorted(versions.values_list("version", "status")) == [
        (1, SubmissionStatus.RETURNED),
        (2, SubmissionStatus.SUBMITTED),
    ]

"""A city submits its stamped tables, the province returns them, the city resubmits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from branches.models import Role
from reports.models import Campaign, Submission
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

#: The city's county and school committees have not submitted; the city submits over them.
OVERRIDE = "区县尚未上报，先行上报"


@pytest.fixture
def summary_campaign(scripted_province, people_table):
    """A campaign collecting the test table, due in five days, and the city's committee user."""
    factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="cityuser")
    return Campaign.objects.create(
        slug="summary",
        name="加盖公章汇总表上报",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=5),
        submission_tables="test_people",
    )


def test_submit_return_resubmit(page, scripted_province, summary_campaign):
    factories.user_with_role(scripted_province.root, Role.PROVINCE, username="provuser")
    submissions = f"{page.base_url}/reports/submissions/?campaign=summary"

    log_in(page, "cityuser")
    page.goto(submissions)
    page.fill("#id_override_reason", OVERRIDE)
    page.click("#submit-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "按时上报" in page.locator("#own-state").inner_text()
    page.context.clear_cookies()

    log_in(page, "provuser")
    page.goto(submissions)
    row = page.locator("#child-submissions tr[data-code=C1]")
    assert "按时上报" in row.locator(".child-state").inner_text()
    row.locator("input[name=reason]").fill("名册缺少联系电话，请补充后重新上报")
    row.locator("button.return").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("#child-submissions tr[data-code=C1]")
    assert "退回" in row.locator(".child-state").inner_text()
    page.context.clear_cookies()

    log_in(page, "cityuser")
    page.goto(submissions)
    assert "名册缺少联系电话" in page.locator("#own-submission").inner_text()
    page.fill("#id_override_reason", OVERRIDE)
    page.click("#submit-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "按时上报" in page.locator("#own-state").inner_text()
    assert Submission.objects.filter(organization=scripted_province.c1).count() == 2


def test_a_large_submission_is_stamped_by_the_worker(
    page, scripted_province, summary_campaign, settings
):
    """Above the background threshold the tables go to the task worker (run at once in tests);
    the city's page then shows the frozen files like any other submission."""
    settings.BACKGROUND_EXPORT_ROWS = 3  # the test table has seven rows

    log_in(page, "cityuser")
    page.goto(f"{page.base_url}/reports/submissions/?campaign=summary")
    page.fill("#id_override_reason", OVERRIDE)
    page.click("#submit-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    # The worker has finished by the time the page answers, and the message says so.
    assert page.locator("ul.messages").inner_text().strip() == "第1版已上报。"
    assert "按时上报" in page.locator("#own-state").inner_text()
    assert page.locator("#own-submission a[href*='/reports/submissions/files/']").count() == 1
    submission = Submission.objects.get(organization=scripted_province.c1)
    assert (submission.rows_total, submission.rows_done) == (7, 7)

"""A branch secretary registers the whole branch in one form, the county certifies it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from branches.models import Role
from reports.models import (
    BranchRegistration,
    BranchRegistrationStatus,
    Campaign,
    CampaignKind,
    EvaluationGrade,
    RegistrationResult,
)
from reports.registration import services
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registration_year(scripted_province):
    factories.user_with_role(scripted_province.b1, Role.SECRETARY, username="secuser")
    factories.user_with_role(scripted_province.k1, Role.COMMITTEE, username="countyuser")
    return Campaign.objects.create(
        slug="reg",
        name="团籍注册",
        kind=CampaignKind.REGISTRATION,
        year=2024,
        deadline=timezone.localdate() + timedelta(days=10),
        metric="registration_ratio",
        threshold="0.9",
    )


def test_branch_registers_everyone_in_one_form(page, scripted_province, registration_year):
    b1 = scripted_province.b1
    members = list(services.members_to_register(b1))
    deferred, excellent = members[0], members[1]

    log_in(page, "secuser")
    page.goto(f"{page.base_url}/reports/registration/")
    # A secretary lands on the branch's form; everyone is 注册 and 合格 by default.
    rows = page.locator("#registration-rows tbody tr")
    assert rows.count() == len(members)
    for index in range(len(members)):
        assert rows.nth(index).locator("select[name$='-result']").input_value() == "registered"
        assert rows.nth(index).locator("select[name$='-grade']").input_value() == "qualified"

    # A deferral without its reason: nothing is saved and the member is named.
    row = page.locator(f"#registration-rows tr[data-member='{deferred.pk}']")
    row.locator("select[name$='-result']").select_option("deferred")
    page.click("#save-all")
    page.wait_for_load_state("networkidle")
    problems = page.locator("#problems").inner_text()
    assert deferred.name in problems and "原因" in problems
    assert not services.records_of(registration_year, b1)

    # The exceptions changed in place; one save records everyone.
    row = page.locator(f"#registration-rows tr[data-member='{deferred.pk}']")
    assert row.locator("select[name$='-result']").input_value() == "deferred"
    row.locator("input[name$='-reason']").fill("连续6个月未交纳团费")
    row.locator("select[name$='-grade']").select_option("basic")
    page.locator(
        f"#registration-rows tr[data-member='{excellent.pk}'] select[name$='-grade']"
    ).select_option("excellent")
    page.click("#save-all")
    page.wait_for_load_state("networkidle")
    assert str(len(members)) in page.locator("ul.messages").inner_text()
    records = services.records_of(registration_year, b1)
    assert len(records) == len(members)
    assert records[deferred.pk].result == RegistrationResult.DEFERRED
    assert records[deferred.pk].reason == "连续6个月未交纳团费"
    assert records[excellent.pk].grade == EvaluationGrade.EXCELLENT

    page.click("#submit-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "待审核" in page.locator("#state").inner_text()
    assert page.locator("#save-all").count() == 0  # locked until returned
    page.context.clear_cookies()

    log_in(page, "countyuser")
    page.goto(f"{page.base_url}/reports/registration/?campaign=reg")
    row = page.locator(f"#awaiting tr[data-code='{b1.code}']")
    row.locator("button.accept").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(f"#awaiting tr[data-code='{b1.code}']").count() == 0
    registration = BranchRegistration.objects.get(branch=b1)
    assert registration.status == BranchRegistrationStatus.CERTIFIED

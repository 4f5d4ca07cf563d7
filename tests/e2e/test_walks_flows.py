"""The jobs that change something, walked at both sizes with :func:`check_page` at each step:
the inbox (batch preview, refusal form, a move and its history) and submissions (submit with
an override reason, accept through its confirmation step, reopen)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from branches.models import Role
from members.models import Move
from members.moves import services as moves
from reports.models import Campaign
from tests import factories
from tests.e2e.test_walks import Walk
from tests.e2e.walks import SIZES

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pass-word-123"


@pytest.mark.parametrize("size", list(SIZES))
def test_inbox_walk(browser, live_server, small_province, size):
    p = small_province
    arrivals = [
        moves.move_create(
            member=factories.MemberFactory(branch=p.branch, name=name),
            reason=Move.Reason.EMPLOYMENT,
            moved_on=timezone.localdate() - timedelta(days=10),
            destination_organization=p.foreign_branch,
            user=p.county_user,
        )
        for name in ["林小红", "陈大明", "王晓燕"]
    ]
    walk = Walk(browser, live_server.url, "city2", "inbox", size, password=PASSWORD)
    try:
        walk.visit("/moves/inbox/", "inbox")
        walk.page.check(f"#pick-{arrivals[0].pk}")
        walk.page.check(f"#pick-{arrivals[1].pk}")
        walk.page.select_option("#batch-action", "confirm")
        with walk.page.expect_navigation():
            walk.page.click("#batch-preview")
        walk.check("batch-preview")
        walk.visit(f"/moves/{arrivals[2].pk}/refuse/", "refuse-form")
        walk.visit(f"/moves/{arrivals[2].pk}/", "move-with-history")
    finally:
        walk.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_submissions_walk(browser, live_server, scripted_province, people_table, size):
    p = scripted_province
    Campaign.objects.create(
        slug="summary",
        name="加盖公章汇总表上报",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=5),
        submission_tables="test_people",
    )
    factories.user_with_role(p.c1, Role.COMMITTEE, username="cityuser")
    factories.user_with_role(p.root, Role.PROVINCE, username="provuser")
    submissions = "/reports/submissions/?campaign=summary"

    city = Walk(browser, live_server.url, "cityuser", "submissions-city", size, password=PASSWORD)
    try:
        city.visit(submissions, "before-submitting")
        city.page.fill("#id_override_reason", "区县尚未上报，先行上报")
        with city.page.expect_navigation():
            city.page.click("#submit-form button[type=submit]")
        city.check("submitted-with-reason")
    finally:
        city.close()

    province = Walk(
        browser, live_server.url, "provuser", "submissions-province", size, password=PASSWORD
    )
    try:
        province.visit(submissions, "to-accept")
        province.follow("#child-submissions tr[data-code=C1] a.accept", "accept-confirm")
        with province.page.expect_navigation():
            province.page.click("#accept-confirm-button")
        province.check("accepted")
        row = province.page.locator("#child-submissions tr[data-code=C1]")
        row.locator(".reopen-form input[name=reason]").fill("名册与实际人数不符，请核实后重新上报")
        with province.page.expect_navigation():
            row.locator("button.reopen").click()
        province.check("reopened")
    finally:
        province.close()

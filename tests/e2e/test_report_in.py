"""A receiving committee confirms a report-in (报到) in a real browser; the member changes branch
and the developing side sees the move reported."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Member, Move
from members.moves import services as moves
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_receiving_committee_confirms_a_report_in(page, small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch, name="林小红")
    move = moves.move_create(
        member=member,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate() - timedelta(days=40),
        destination_organization=p.foreign_branch,
        note="乙县某企业",
        user=p.county_user,
    )
    moves.move_record_contact(move=move, user=p.county_user, note="已电话联系，下周报到")

    log_in(page, "city2")  # 乙市团委: the receiving side
    page.click("a.card[href='/moves/']")
    page.wait_for_url("**/moves/")
    page.click(".moves-nav a:text('待确认报到')")
    page.wait_for_url("**/moves/inbox/**")
    card = page.locator(f"#incoming [data-move='{move.pk}']")
    assert "林小红" in card.inner_text()
    assert "甲县第一团支部" in card.inner_text()
    page.set_viewport_size({"width": 390, "height": 800})
    # The branch is named with its parent, as every repeated branch name is.
    button = card.locator("a.button.primary")
    assert button.inner_text().startswith("已到乙县第一团支部")
    assert button.is_visible()
    button.click()
    # Confirming cannot be undone, so a page asks first (no script needed).
    page.wait_for_url(f"**/moves/{move.pk}/confirm/**")
    assert "不能撤销" in page.locator(".irreversible").inner_text()
    page.click("#confirm-form button[type=submit]")
    page.wait_for_url("**/moves/inbox/**")
    assert "林小红已报到。" in page.locator(".messages").inner_text()
    assert "暂无待报到的团员。" in page.content()
    assert "林小红" in page.locator("#recent").inner_text()

    assert Member.objects.get(pk=member.pk).branch == p.foreign_branch
    history = Member.objects.get(pk=member.pk).history.order_by("history_date", "history_id")
    assert [h.branch_id for h in history] == [p.branch.pk, p.foreign_branch.pk]

    page.click("#recent a:text('林小红')")
    page.wait_for_url(f"**/moves/{move.pk}/")
    assert page.locator("#history tbody tr").count() == 3
    assert "city2" in page.locator("#history").inner_text()


def test_developing_side_sees_the_move_reported_and_cannot_confirm(page, small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch, name="陈大明")
    move = moves.move_create(
        member=member,
        reason=Move.Reason.FURTHER_STUDY,
        moved_on=timezone.localdate() - timedelta(days=3),
        destination_organization=p.foreign_branch,
    )
    log_in(page, "county")
    page.goto(f"{page.base_url}/moves/")
    card = page.locator(f"#moves [data-move='{move.pk}']")
    assert "陈大明" in card.inner_text()
    card.locator("summary:text('记录联系情况')").click()
    card.locator(f"#contact-{move.pk}").fill("已联系，本周去报到")
    card.locator("button:text('保存联系情况')").click()
    page.wait_for_load_state("networkidle")
    assert "已记录与陈大明的联系。" in page.locator(".messages").inner_text()
    assert Move.objects.get(pk=move.pk).state == Move.State.CONTACTED
    response = page.goto(f"{page.base_url}/moves/{move.pk}/confirm/")
    assert response.status == 404

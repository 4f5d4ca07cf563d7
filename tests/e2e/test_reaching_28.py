"""A committee confirms 超龄离团 for several members at once in a real browser, from its desk;
the members leave the list and the live count, and keep their history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Member, MemberStatus
from members.models.member import years_before
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def turning_28_in(branch, days, name):
    born = years_before(timezone.localdate() + timedelta(days=days), 28)
    return factories.MemberFactory(
        branch=branch, name=name, birth_date=born, join_date=born.replace(year=born.year + 16)
    )


def test_committee_confirms_aged_out_for_several_members(page, small_province):
    p = small_province
    first = turning_28_in(p.branch, -40, "超龄甲")
    second = turning_28_in(p.other_branch, -3, "超龄乙")
    kept = turning_28_in(p.branch, -1, "超龄丙")
    soon = turning_28_in(p.branch, 30, "将满丁")

    log_in(page, "county")
    page.click("a.card[href='/members/reaching-28/']")
    page.wait_for_url("**/members/reaching-28/")
    assert page.locator("#past-count").inner_text() == "3"
    assert "将满丁" in page.locator("#turning").inner_text()
    page.check(f"#member-{first.pk}")
    page.check(f"#member-{second.pk}")
    page.click("#confirm-button")
    page.wait_for_load_state("networkidle")
    assert "已为2名团员确认超龄离团。" in page.locator(".messages").inner_text()
    assert page.locator("#past-count").inner_text() == "1"
    assert "超龄丙" in page.locator("#past").inner_text()
    assert "超龄甲" not in page.locator("#past").inner_text()

    statuses = dict(Member.objects.values_list("name", "status"))
    assert statuses["超龄甲"] == statuses["超龄乙"] == MemberStatus.AGED_OUT
    assert statuses["超龄丙"] == statuses["将满丁"] == MemberStatus.ACTIVE
    assert kept.pk and soon.pk

    # the member's own page shows the change and who decided
    page.goto(f"{page.base_url}/members/{first.pk}/status/")
    assert "超龄离团" in page.locator("#member-status").inner_text()
    assert "county" in page.locator("#status-history").inner_text()

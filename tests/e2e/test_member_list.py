"""The member list at a desk (1366×900) and on a phone (390×844), and a member's own page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from branches.models import Organization, Role
from members import services
from tests import factories
from tests.e2e.conftest import log_in
from tests.e2e.screens import screenshot
from tests.e2e.walks import overflowing_tables

pytestmark = pytest.mark.django_db(transaction=True)

LONG_BRANCH = "福州市鼓楼区第一中学高三（1）班团支部"
NAMES = ["欧阳晓明", "林小红", "陈思思", "王建国", "阿依古丽·买买提", "张伟", "李娜", "刘洋"]


@pytest.fixture
def school_branch(db):
    root = factories.province(code="P", name="测试省团委")
    city = factories.committee(root, code="C1", name="福州市团委")
    county = factories.committee(city, kind=Organization.Kind.COUNTY, code="K1", name="鼓楼区团委")
    branch = factories.branch(county, code="K1-B1", name=LONG_BRANCH)
    secretary = factories.user_with_role(branch, Role.SECRETARY, username="listsec")
    factories.user_with_role(county, Role.COMMITTEE, username="listcounty")
    members = []
    for serial, name in enumerate(NAMES):
        joined = date(2024, 3, 1) + timedelta(days=serial)
        member = factories.MemberFactory(
            branch=branch,
            name=name,
            birth_date=date(2007, 1, 1) + timedelta(days=serial),
            join_date=joined,
            development_number=int(f"2024{serial + 1:08d}"),
        )
        # Every third one entered two months after joining (late), the others within a week.
        days = 60 if serial % 3 == 0 else 5
        member.entered_at = timezone.make_aware(
            timezone.datetime.combine(joined + timedelta(days=days), timezone.datetime.min.time())
        )
        member.save()
        members.append(member)
    return branch, secretary, members


def open_list(page):
    page.goto(f"{page.base_url}/admin/members/member/")
    page.wait_for_selector("#result_list")


@pytest.mark.parametrize("username", ["listsec", "listcounty"])
def test_member_list_fits_a_desk_screen(page, school_branch, username):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, username)
    open_list(page)
    screenshot(page, f"member-list-1366-{username}")
    assert overflowing_tables(page) == []
    # Names never wrap: each name's link is one line box.
    lines = page.eval_on_selector_all(
        "#result_list td.field-name_link a, #result_list th.field-name_link a",
        "links => links.map(a => a.getClientRects().length)",
    )
    assert lines == [1] * len(NAMES)
    # The entry status is on the first screen, without scrolling sideways or down.
    status = page.locator("#result_list tbody tr").first.locator("td.field-entry_status")
    box = status.bounding_box()
    assert box["x"] + box["width"] <= 1366 and box["y"] + box["height"] <= 900
    assert page.locator("#result_list .late").count() == 3
    # The filters are a sidebar here, not a drawer.
    assert page.locator("#changelist-filter").is_visible()
    assert not page.locator(".filter-drawer-button").is_visible()
    # The page speaks the site's language and wears its header.
    assert page.locator(".site-header .brand").inner_text() == "团员信息管理系统"
    assert "团员列表" in page.locator("h1").inner_text()


def test_member_list_is_cards_on_a_phone(page, school_branch):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "listsec")
    open_list(page)
    screenshot(page, "member-list-390")
    assert overflowing_tables(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == len(NAMES)
    assert rows.first.evaluate("row => getComputedStyle(row).display") == "block"
    assert not page.locator("#result_list thead").is_visible()
    # Each value is labelled with its column's title.
    assert rows.first.locator("td.field-entry_status").get_attribute("data-label") == "录入情况"
    # The filters wait in a drawer until asked for.
    assert not page.locator("#changelist-filter").is_visible()
    page.click(".filter-drawer-button")
    assert page.locator("#changelist-filter").is_visible()
    screenshot(page, "member-list-390-filters")
    page.click("#changelist-filter a:text('逾期录入')")
    page.wait_for_load_state("networkidle")
    assert page.locator("#result_list tbody tr").count() == 3


def test_member_page_from_the_list_and_the_branch_page(page, school_branch):
    branch, secretary, members = school_branch
    member = members[1]
    member.phone = "13900139000"
    member._change_reason = "本人提供新号码"
    member._history_user = secretary
    services.member_update(member=member, user=secretary)

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "listsec")
    open_list(page)
    page.click(f"#result_list a:text('{member.name}')")
    page.wait_for_url(f"**/members/{member.pk}/")
    assert page.locator("h1").inner_text().startswith(member.name)
    assert member.id_number in page.locator("#member-record").inner_text()
    history = page.locator("#member-history").inner_text()
    assert "本人提供新号码" in history and "13900139000" in history
    assert overflowing_tables(page) == []
    screenshot(page, "member-detail-1366")

    page.click(".site-nav a:text('本支部')")
    page.wait_for_url("**/dashboard/")
    page.click(f"#members a:text('{member.name}')")
    page.wait_for_url(f"**/members/{member.pk}/")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "member-detail-390")

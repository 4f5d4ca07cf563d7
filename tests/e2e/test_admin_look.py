"""The admin as a branch secretary meets it: the site's header and red, natural Chinese, and a
menu with only what the secretary can use."""

import pytest

from members.services import member_update
from tests.e2e.conftest import log_in
from tests.e2e.screens import screenshot
from tests.e2e.walks import overflowing_tables
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

RED = "rgb(200, 16, 46)"


def test_secretary_walks_the_admin_in_one_look(page, small_province):
    member = MemberFactory(branch=small_province.branch, name="周小雨")
    member.phone = "13900139000"
    member._history_user = small_province.secretary
    member_update(member=member, user=small_province.secretary)

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "sec")
    page.click(".site-nav a:text('数据管理')")
    page.wait_for_url("**/admin/")
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == RED
    entries = page.locator("#content-main tr[class^=model-] th a").all_inner_texts()
    assert sorted(entries) == sorted(["团员", "团组织"])
    screenshot(page, "admin-index-secretary-1366")

    page.goto(f"{page.base_url}/admin/members/member/{member.pk}/change/")
    assert page.locator("#content h1").inner_text() == "修改团员"
    page.click(".object-tools a:text('变更记录')")
    page.wait_for_url("**/history/")
    table = page.locator("#change-history").inner_text()
    assert "改动内容" in table and "13900139000" in table
    assert "None" not in table and "Changes" not in table
    assert overflowing_tables(page) == []
    screenshot(page, "admin-history-1366")

"""A person signs in through the login page and reaches the admin in Chinese."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_reaches_chinese_admin(page, small_province):
    log_in(page, "city")
    assert "工作台" in page.content()
    page.click("text=数据管理")
    page.wait_for_url("**/admin/")
    # The admin wears the site's header: one product.
    assert page.locator(".site-header .brand").inner_text() == "团员信息管理系统"
    page.click("#content-main a[href$='/admin/branches/organization/']")
    page.wait_for_url("**/admin/branches/organization/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 4
    assert page.locator("#result_list").inner_text().count("甲市团委") >= 1
    assert "乙市团委" not in page.locator("#result_list").inner_text()


def test_wrong_password_shows_chinese_error(page, small_province):
    log_in(page, "city", password="wrong")
    assert "用户名或密码错误" in page.content()

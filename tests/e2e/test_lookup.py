"""A committee user pastes numbers into the look-up page, reads and downloads the answer."""

import openpyxl
import pytest

from tests.e2e.conftest import log_in
from tests.factories import numbered_province

pytestmark = pytest.mark.django_db(transaction=True)


def test_paste_check_and_download(page, tmp_path):
    numbered_province()
    log_in(page, "c1", password="pass-word-123")
    page.goto(f"{page.base_url}/members/lookup/")
    assert "发展团员编号批量查询" in page.content()
    page.fill(
        "textarea[name=lines]",
        "201900010001\n201900010012\n201900010030\n201900010140\n12345\n",
    )
    page.click("button[name=check]")
    page.wait_for_selector("#findings")
    rows = page.locator("#findings tbody tr")
    assert rows.count() == 5
    texts = [rows.nth(i).inner_text() for i in range(5)]
    assert "已录入系统" in texts[0] and "甲县第一团支部" in texts[0]
    assert "已登记未使用" in texts[1] and "作废" in texts[1]
    assert "无下落" in texts[2]
    assert "不在本组织号段内" in texts[3]
    assert "格式错误" in texts[4]
    assert "共查询5行" in page.content()

    with page.expect_download() as download_info:
        page.click("button[name=download]")
    path = tmp_path / "answer.xlsx"
    download_info.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert [row[3] for row in values] == [
        "已录入系统",
        "已登记未使用",
        "无下落",
        "不在本组织号段内",
        "格式错误",
    ]


def test_ledger_page_on_a_phone(browser, live_server):
    """The ledger reads on a narrow screen: no part of the page is wider than the phone."""
    numbered_province()
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740})
    phone = context.new_page()
    phone.base_url = live_server.url
    try:
        log_in(phone, "c1", password="pass-word-123")
        phone.goto(f"{live_server.url}/members/ledger/?org=C1")
        assert "编号台账" in phone.content()
        assert "201900010043–201900010049" in phone.content()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
        phone.click("text=甲县团委")
        phone.wait_for_url("**org=K1")
        assert "201900010026–201900010040" in phone.content()
    finally:
        context.close()

"""A county committee reads its annual statistics, explains a decline and breaks its members
down, in a real browser."""

import pytest

from reports.models import DeclineExplanation
from reports.statistics.freeze import statistics_freeze
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.reports.statistics_fixtures import build_year

pytestmark = pytest.mark.django_db(transaction=True)


def test_county_explains_a_decline_and_breaks_members_down(page, small_province):
    build_year(small_province)
    statistics_freeze(year=2024)
    log_in(page, "county")

    page.goto(f"{page.base_url}/dashboard/")
    page.click("#statistics-link")
    page.wait_for_url("**/reports/statistics/?org=C1-K1")
    page.fill("#year", "2025")
    page.click(".year-picker button[type=submit]")
    page.wait_for_url("**/reports/statistics/?org=C1-K1&year=2025")
    row = page.locator('#statistics-table tr[data-code="C1-K1-B2"][data-figure="members"]')
    assert row.locator("td").nth(1).inner_text() == "1"
    assert row.locator("td").nth(2).inner_text() == "2"
    assert "须作说明" in row.inner_text()

    page.click("#declines-link")
    page.wait_for_url("**/reports/statistics/declines/**")
    decline = page.locator('#declines-table tr[data-code="C1-K1-B2"][data-figure="members"]')
    decline.locator("a").click()
    page.wait_for_url("**/reports/statistics/explain/**")
    page.fill("#id_text", "一名团员于12月31日去世，已办理相关手续。")
    page.click("#explanation-form button[type=submit]")
    page.wait_for_url("**/reports/statistics/declines/**")
    assert "情况说明已保存" in page.locator(".messages").inner_text()
    decline = page.locator('#declines-table tr[data-code="C1-K1-B2"][data-figure="members"]')
    assert "一名团员于12月31日去世" in decline.inner_text()
    assert DeclineExplanation.objects.get().written_by.username == "county"
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{page.base_url}/reports/statistics/?org=C1-K1&year=2025")
    page.screenshot(path=str(ARTIFACTS / "statistics.png"), full_page=True)

    page.goto(f"{page.base_url}/reports/breakdown/?org=C1-K1")
    page.select_option("#id_by", "education")
    page.select_option("#id_then", "gender")
    page.click("#breakdown-form button[type=submit]")
    page.wait_for_url("**/reports/breakdown/?**by=education**")
    assert page.locator("#breakdown-total").inner_text() == "4"
    assert page.locator("svg.count-chart rect").count() == 2
    child = page.locator('#children-table tr[data-code="C1-K1-B1"]')
    assert child.locator("td").last.inner_text() == "3"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "breakdown.png"), full_page=True)

"""A school committee explains its gap against the education figures, in a real browser."""

import pytest

from branches.models import Role
from reports.models import Explanation
from tests import factories
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.reports.school_fixtures import CODES, YEAR, build_school_province

pytestmark = pytest.mark.django_db(transaction=True)


def test_school_committee_writes_the_explanation_for_a_gap(page, scripted_province):
    build_school_province(scripted_province)
    factories.user_with_role(scripted_province.s1, Role.COMMITTEE, username="schooluser")
    log_in(page, "schooluser")

    page.goto(f"{page.base_url}/dashboard/")
    page.click("text=以教统核团统：学校领域团员数量核对")
    page.wait_for_url(f"**/reports/schools/?org=S1&year={YEAR}")
    row = page.locator(f'#schools tr[data-code="{CODES["S1"]}"]')
    assert row.locator("td").nth(1).inner_text() == "12"  # education department
    assert row.locator("td").nth(2).inner_text() == "10"  # league
    assert row.locator("td").nth(4).inner_text() == "16.7%"
    assert "须作说明" in row.inner_text()

    row.locator("a.explain-link").click()
    page.wait_for_url("**/reports/schools/explain/**")
    page.fill("#id_text", "高三2名学生团员已转学，组织关系转出手续未完成，6月10日前补录。")
    page.click("#explanation-form button[type=submit]")
    page.wait_for_url("**/reports/schools/?org=S1**")

    assert "情况说明已保存" in page.locator(".messages").inner_text()
    row = page.locator(f'#schools tr[data-code="{CODES["S1"]}"]')
    assert "高三2名学生团员已转学" in row.inner_text()
    assert "须作说明" not in row.inner_text()
    assert row.locator("a.explain-link").inner_text() == "修改"
    explanation = Explanation.objects.get(year=YEAR, school_code=CODES["S1"])
    assert explanation.written_by.username == "schooluser"

    page.set_viewport_size({"width": 390, "height": 800})
    assert page.locator("#schools").is_visible()
    assert page.locator("#summary").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "school-explanation-phone.png"), full_page=True)

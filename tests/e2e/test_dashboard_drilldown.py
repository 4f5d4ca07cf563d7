"""A city user drills down from the city to a branch and back, in a real browser."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from branches.models import Role
from reports.models import Campaign
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_city_drills_down_and_back(page, scripted_province):
    Campaign.objects.create(
        slug="grad",
        name="毕业时间填写",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=10),
        metric="graduation_fill_ratio",
        threshold=Decimal("0.5"),
    )
    factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="cityuser")
    log_in(page, "cityuser")
    page.goto(f"{page.base_url}/dashboard/")
    assert page.locator("h1").inner_text() == "共青团甲市委员会"
    assert page.locator("svg.bar-chart").count() == 1
    page.click("#children a:text('甲县团委')")
    page.wait_for_url("**org=K1**")
    assert page.locator("h1").inner_text() == "甲县团委"
    page.click("#children a:text('甲县一支部')")
    page.wait_for_url("**org=B1**")
    assert page.locator("h1").inner_text() == "甲县一支部"
    assert page.locator("#members tbody tr").count() == 4
    assert page.locator("#late-members tbody tr").count() == 1
    page.click(".breadcrumb a:text('共青团甲市委员会')")
    page.wait_for_url("**org=C1**")
    assert page.locator("h1").inner_text() == "共青团甲市委员会"
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.locator("#children").is_visible()
    # On a phone the chart scrolls sideways instead of shrinking its labels out of reading.
    chart = page.locator("svg.bar-chart").bounding_box()
    assert chart["width"] >= 600
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

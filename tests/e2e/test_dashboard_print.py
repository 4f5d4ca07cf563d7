"""Printed, the dashboard fits A4 landscape: even with every figure group shown, no column is cut."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from branches.models import Role
from reports.models import Campaign
from tests import factories
from tests.e2e.conftest import log_in
from tests.e2e.walks import overflowing_tables

pytestmark = pytest.mark.django_db(transaction=True)

#: A4 landscape less the print stylesheet's 10 mm margins, in CSS pixels (96 per inch).
A4_LANDSCAPE_CONTENT = {
    "width": round((297 - 20) / 25.4 * 96),
    "height": round((210 - 20) / 25.4 * 96),
}


@pytest.mark.parametrize("groups", ["", "all"])
def test_dashboard_prints_on_a4_landscape(page, scripted_province, groups):
    Campaign.objects.create(
        slug="grad",
        name="毕业时间填写",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=10),
        metric="graduation_fill_ratio",
        threshold=Decimal("0.5"),
    )
    factories.user_with_role(scripted_province.root, Role.PROVINCE, username="pv")
    log_in(page, "pv")
    page.set_viewport_size(A4_LANDSCAPE_CONTENT)
    page.emulate_media(media="print")
    page.goto(f"{page.base_url}/dashboard/?groups={groups}")
    assert page.locator("#column-chooser").is_hidden()  # the chooser is not printed
    assert page.locator("#children").is_visible()
    assert overflowing_tables(page) == []
    headers = page.locator("#children thead th").count()
    assert headers >= (26 if groups == "all" else 5)
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")

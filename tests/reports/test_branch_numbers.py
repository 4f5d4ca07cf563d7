"""A branch's page shows the unaccounted numbers of its own closed ranges (下落不明的编号)."""

import pytest
from django.urls import reverse

from tests.factories import n2019, numbered_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return numbered_province()


def test_branch_page_lists_its_unaccounted_numbers(client, p):
    """B1 holds 10001–10020 of 2019 (closed): members hold 10001–10010, 10011–10015 are
    registered, so 10016–10020 are unaccounted."""
    client.force_login(p.b1_secretary)
    page = client.get(reverse("dashboard"))
    assert page.context["unaccounted"] == [(n2019(10016), n2019(10020), 5)]
    assert "201900010016" in page.content.decode()


def test_branch_page_says_when_the_branch_holds_no_range(client, p):
    client.force_login(p.b2_secretary)
    page = client.get(reverse("dashboard"))
    assert page.context["unaccounted"] == []
    assert "本支部没有自己的号段" in page.content.decode()

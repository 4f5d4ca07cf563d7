"""The ledger: figures, unaccounted spans and the ledger page."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.numbers import ledger
from tests.factories import (
    IssuedNumberFactory,
    n2019,
    numbered_province,
    province,
    user_with_role,
)
from tests.reports.test_compliance_queries import grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return numbered_province()


def test_figures_of_one_organisation(p):
    assert ledger.ledger_for(p.b1) == {
        "numbers_total": 20,
        "numbers_used": 10,
        "numbers_explained": 5,
        "numbers_unaccounted": 5,
        "entry_ratio": 10 / 15,
        "numbers_available": 0,
    }
    province_figures = ledger.ledger_for(p.province)
    assert province_figures["numbers_total"] == 300
    assert province_figures["numbers_used"] == 47
    assert province_figures["numbers_explained"] == 26
    assert province_figures["numbers_unaccounted"] == 227


def test_issued_numbers_stay_unaccounted_until_the_member_is_entered(p):
    IssuedNumberFactory(number_range=p.ranges["B1"], number=n2019(10016), organization=p.b1)
    assert ledger.ledger_for(p.b1)["numbers_unaccounted"] == 5


def test_unaccounted_spans(p):
    assert ledger.unaccounted_spans(p.b1) == [(n2019(10016), n2019(10020))]
    assert ledger.unaccounted_spans(p.k1) == [
        (n2019(10016), n2019(10020)),
        (n2019(10026), n2019(10040)),
    ]
    assert ledger.unaccounted_spans(p.c2) == []
    assert ledger.unaccounted_spans(p.c3) == []
    assert ledger.unaccounted_spans(p.province, limit=2) == [
        (n2019(10016), n2019(10020)),
        (n2019(10026), n2019(10040)),
    ]
    spans = ledger.unaccounted_spans(p.province)
    assert sum(b - a + 1 for a, b in spans) == ledger.ledger_for(p.province)["numbers_unaccounted"]
    assert spans[-1] == (n2019(10151), n2019(10300))


def test_unaccounted_spans_take_one_query_per_range(p, django_assert_num_queries):
    with django_assert_num_queries(2):
        ledger.unaccounted_spans(p.k1)


# --- the page ----------------------------------------------------------------------------------


def page(client, user, code=None):
    client.force_login(user)
    return client.get(reverse("members:ledger"), {"org": code} if code else {})


def test_ledger_page_shows_ranges_children_and_spans(client, p):
    response = page(client, p.c1_user, "K1")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "编号台账" in html and "甲县团委" in html
    assert "201900010001–201900010040" in html
    assert "甲县第一团支部" in html and "甲县第二团支部" in html
    assert "201900010026–201900010040" in html
    assert "42.9%" in html  # K1: 15 used of 40 − 5 registered
    assert [c.code for c, _f in response.context["children"]] == ["B1", "B2"]


def test_ledger_page_defaults_to_the_users_organisation(client, p):
    response = page(client, p.c2_user)
    assert response.context["organization"] == p.c2
    assert "号号有下落" in response.content.decode()


@pytest.mark.parametrize(
    ("user", "code", "status"),
    [
        ("c1_user", "C2", HTTPStatus.NOT_FOUND),
        ("c1_user", "P", HTTPStatus.NOT_FOUND),
        ("c1_user", "NOPE", HTTPStatus.NOT_FOUND),
        ("k1_user", "C1", HTTPStatus.NOT_FOUND),
        ("b1_secretary", "B1", HTTPStatus.FORBIDDEN),
        ("b1_secretary", "B2", HTTPStatus.NOT_FOUND),
        ("province_user", "C2", HTTPStatus.OK),
        ("c1_user", "B1", HTTPStatus.OK),
    ],
)
def test_ledger_page_access(client, p, user, code, status):
    assert page(client, getattr(p, user), code).status_code == status


def test_ledger_page_requires_login(client, p):
    response = client.get(reverse("members:ledger"))
    assert response.status_code == HTTPStatus.FOUND


def test_ledger_page_query_count_does_not_grow_with_the_tree(client):
    """The same queries for a province of 3 cities as for one of 30."""
    root = province(code="P")
    client.force_login(user_with_role(root, "province", username="prov"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("members:ledger"), {"org": "P"})
        assert response.status_code == HTTPStatus.OK
        return len(queries), len(response.context["children"])

    grow(root, 3)
    small = count()
    grow(root, 27, start=3)
    large = count()
    assert small[1] == 3 and large[1] == 30
    assert small[0] == large[0] <= 13

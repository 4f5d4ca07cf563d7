"""The next free number: lowest free of the nearest range, never handed out twice."""

import threading
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from members.models import IssuedNumber, NumberRange
from members.numbers import services as numbering
from members.widgets import DevelopmentNumberWidget
from tests.factories import (
    IssuedNumberFactory,
    NumberRangeFactory,
    UnusedNumberFactory,
    branch,
    n2019,
    new_member,
    numbered_province,
    province,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return numbered_province()


def issue(organization, user=None, year=2019):
    return numbering.number_issue_next(organization=organization, user=user, year=year).number


def test_lowest_free_number_of_the_own_range(p):
    """B1 holds 10001–10020: members hold 10001–10010, 10011–10015 are registered."""
    assert issue(p.b1, p.b1_secretary) == n2019(10016)
    assert issue(p.b1, p.b1_secretary) == n2019(10017)


def test_nearest_ancestor_range_skips_ranges_handed_to_other_subtrees(p):
    """B2 holds none: K1's range, minus B1's range and B2's own members 10021–10025."""
    assert issue(p.b2, p.b2_secretary) == n2019(10026)


def test_the_provinces_own_numbers_skip_every_citys_range(p):
    """A branch straight under the province draws after C1's and C2's ranges."""
    leaf = branch(p.province, code="PB")
    assert issue(leaf) == n2019(10151)


def test_issued_and_registered_numbers_are_skipped(p):
    IssuedNumberFactory(number_range=p.ranges["K1"], number=n2019(10026), organization=p.b2)
    UnusedNumberFactory(number_range=p.ranges["K1"], first=n2019(10027), last=n2019(10028))
    assert issue(p.b2) == n2019(10029)


def test_issued_number_records_who_and_for_whom(p):
    number = issue(p.b2, p.b2_secretary)
    issued = IssuedNumber.objects.get(number=number)
    assert issued.organization == p.b2 and issued.issued_by == p.b2_secretary
    assert issued.number_range == p.ranges["K1"]
    assert issued.history.first().history_user == p.b2_secretary


def test_an_issued_number_is_then_entered_for_a_member(p):
    number = issue(p.b2, p.b2_secretary)
    new_member(p.b2, number)
    assert issue(p.b2, p.b2_secretary) == number + 1
    assert IssuedNumber.objects.with_entered().get(number=number).entered


def test_exhausted_range_gives_a_clear_chinese_error(p):
    for number in range(n2019(10016), n2019(10021)):
        new_member(p.b1, number)
    with pytest.raises(ValidationError) as caught:
        issue(p.b1)
    assert "号段 201900010001–201900010020 的编号已全部使用" in caught.value.messages[0]


def test_no_range_for_the_year_gives_a_clear_error(p):
    with pytest.raises(ValidationError, match="2020年度"):
        issue(p.b1, year=2020)


def test_2018_join_draws_from_a_2017_range_when_there_is_no_2018_one(p):
    NumberRangeFactory(organization=p.province, first=201700000001, last=201700000100)
    assert issue(p.b1, year=2018) == 201700000001
    NumberRangeFactory(organization=p.province, first=201800000001, last=201800000100)
    assert issue(p.b1, year=2018) == 201800000001


def test_secretary_takes_numbers_only_for_their_branch(p):
    with pytest.raises(PermissionDenied):
        issue(p.b2, p.b1_secretary)
    with pytest.raises(PermissionDenied):
        issue(p.b4, p.c1_user)
    assert issue(p.b2, p.k1_user) == n2019(10026)


# --- the JSON view -----------------------------------------------------------------------------


def post(client, user, **data):
    client.force_login(user)
    return client.post(reverse("members:number_next"), data)


def test_view_issues_the_next_number(client, p):
    response = post(client, p.b2_secretary, organization=p.b2.pk, year="2019")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["number"] == "201900010026"
    assert response.json()["range"] == "201900010001–201900010040"
    assert "已为本表单保留编号 201900010026" in response.json()["message"]


def test_view_defaults_to_the_users_own_organisation(client, p):
    response = post(client, p.b1_secretary)
    # no year: this year's ranges; the scripted province only has 2019's
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.CONFLICT)
    response = post(client, p.b1_secretary, year="2019")
    assert response.json()["number"] == "201900010016"


def test_view_answers_404_outside_scope_and_409_when_exhausted(client, p):
    assert post(client, p.b1_secretary, organization=p.b4.pk).status_code == HTTPStatus.NOT_FOUND
    assert post(client, p.b1_secretary, organization="x").status_code == HTTPStatus.NOT_FOUND
    response = post(client, p.b1_secretary, organization=p.b1.pk, year="2030")
    assert response.status_code == HTTPStatus.CONFLICT
    assert "2030年度" in response.json()["error"]


def test_view_refuses_get_and_anonymous(client, p):
    assert client.get(reverse("members:number_next")).status_code == HTTPStatus.FOUND
    client.force_login(p.b1_secretary)
    assert client.get(reverse("members:number_next")).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_view_requires_the_csrf_token(p):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(p.b1_secretary)
    response = client.post(reverse("members:number_next"), {"year": "2019"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_widget_renders_an_input_and_the_button():
    with translation.override("zh-hans"):
        html = DevelopmentNumberWidget().render("development_number", 201900010016)
    assert 'value="201900010016"' in html
    assert "取下一个可用编号" in html
    assert 'data-dn-organization="id_developing_organization"' in html
    assert reverse("members:number_next") in html
    assert "members/development_number.js" in str(DevelopmentNumberWidget().media)


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_requests_get_fifty_distinct_numbers():
    root = province(code="P")
    leaf = branch(root, code="B")
    secretary = user_with_role(leaf, "secretary", username="sec")
    NumberRange.objects.create(organization=root, first=201900010001, last=201900010100)
    start = threading.Barrier(50)
    numbers, errors = [], []

    def take():
        try:
            start.wait()
            numbers.append(issue(leaf, secretary))
        except Exception as exc:  # every failure is reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(201900010001, 201900010051))
    assert IssuedNumber.objects.count() == 50

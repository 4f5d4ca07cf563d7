"""The cadre lists of a committee's subtree: organisations without a 书记, terms due within the
warning period or overdue (换届提醒), and school organisations with incomplete cadre records;
on one page per committee (``/cadres/?org=CODE``), 404 outside the user's scope.

The tree (``small_province``): P > C1 甲市 > C1-K1 甲县 > B1, B2; P > C2 乙市 > C2-K1 > B1 of 乙县.
"""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import cadres, services
from branches.models import Cadre, Organization
from tests.factories import CadreFactory, class_branch, committee

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 1)


def codes(queryset):
    return [org.code for org in queryset]


def test_without_secretary_lists_organisations_with_no_secretary_in_post(small_province):
    """A deputy does not count, nor a secretary whose post has ended."""
    p = small_province
    for org in (p.province, p.city, p.other_city, p.foreign_branch):
        CadreFactory(organization=org)
    CadreFactory(organization=p.county, position=Cadre.Position.DEPUTY_SECRETARY)
    ended = CadreFactory(organization=p.branch)
    services.cadre_end(cadre=ended, ended_on=ended.start_date + timedelta(days=10))
    CadreFactory(organization=p.other_branch)
    listed = cadres.without_secretary(p.province, user=p.province_user)
    assert codes(listed) == ["C1-K1", "C1-K1-B1", "C2-K1"]
    assert codes(cadres.without_secretary(p.city, user=p.city_user)) == ["C1-K1", "C1-K1-B1"]


def test_terms_due_at_the_boundary(small_province):
    """A term ending on the 90th day is listed, on the 91st not; an overdue one is listed
    first; an ended post is not; each organisation once, with its earliest term end."""
    p = small_province
    CadreFactory(organization=p.county, term="第二届", term_end=TODAY - timedelta(days=1))
    CadreFactory(
        organization=p.county,
        position=Cadre.Position.MEMBER,
        term="第二届",
        term_end=TODAY + timedelta(days=30),
    )
    CadreFactory(organization=p.branch, term="第五届", term_end=TODAY + timedelta(days=90))
    CadreFactory(organization=p.other_branch, term_end=TODAY + timedelta(days=91))
    gone = CadreFactory(organization=p.city, term_end=TODAY + timedelta(days=5))
    services.cadre_end(cadre=gone, ended_on=gone.start_date + timedelta(days=1))
    CadreFactory(organization=p.foreign_branch, term_end=TODAY)
    due = list(cadres.terms_due(p.city, user=p.city_user, today=TODAY))
    assert [(o.code, o.term, o.term_end) for o in due] == [
        ("C1-K1", "第二届", TODAY - timedelta(days=1)),
        ("C1-K1-B1", "第五届", TODAY + timedelta(days=90)),
    ]
    everywhere = cadres.terms_due(p.province, user=p.province_user, today=TODAY)
    assert codes(everywhere) == ["C1-K1", "C2-K1-B1", "C1-K1-B1"]


def test_incomplete_school_records(small_province):
    """School organisations with no secretary, or a cadre in post without phone or ID number;
    other sectors are not listed here."""
    p = small_province
    school = committee(p.county, kind=Organization.Kind.GRASSROOTS, code="S", name="一中团委")
    school.sector = Organization.Sector.SCHOOL
    school.save()
    complete = class_branch(school, code="S-C1")
    missing_phone = class_branch(school, code="S-C2")
    class_branch(school, code="S-C3")  # no secretary
    CadreFactory(organization=school)
    CadreFactory(organization=complete)
    CadreFactory(organization=missing_phone)
    CadreFactory(organization=missing_phone, position=Cadre.Position.MEMBER, phone="")
    rows = list(cadres.incomplete_school_records(p.city, user=p.city_user))
    assert [(o.code, o.has_secretary, o.cadres_missing_details) for o in rows] == [
        ("S-C2", True, True),
        ("S-C3", False, False),
    ]


def test_lists_are_one_query_each(small_province, django_assert_num_queries):
    p = small_province
    for org in (p.county, p.branch):
        CadreFactory(organization=org, term_end=TODAY)
    cadres.without_secretary(p.city, user=p.province_user)  # reads the user's access once
    for build in (
        lambda: cadres.without_secretary(p.city, user=p.province_user),
        lambda: cadres.terms_due(p.city, user=p.province_user, today=TODAY),
        lambda: cadres.incomplete_school_records(p.city, user=p.province_user),
    ):
        with django_assert_num_queries(1):
            list(build())


# --- the page -------------------------------------------------------------------------------------


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("cadres:lists"), params)


def test_page_shows_the_three_lists_of_the_committees_subtree(client, small_province):
    p = small_province
    today = timezone.localdate()
    CadreFactory(organization=p.city)
    CadreFactory(organization=p.county, term="第三届", term_end=today + timedelta(days=10))
    CadreFactory(organization=p.foreign_branch, term_end=today)
    response = page(client, p.city_user)
    assert response.status_code == HTTPStatus.OK
    context = response.context
    assert context["organization"] == p.city
    assert codes(context["without_secretary"]) == ["C1-K1-B1", "C1-K1-B2"]
    assert [(o.code, o.days_left) for o in context["due"]] == [("C1-K1", 10)]
    html = response.content.decode()
    assert "第三届" in html
    assert "C2-K1-B1" not in html
    assert reverse("reports:download", args=["cadres"]) in html


def test_page_for_a_lower_organisation(client, small_province):
    p = small_province
    response = page(client, p.city_user, org="C1-K1")
    assert response.status_code == HTTPStatus.OK
    assert codes(response.context["without_secretary"]) == ["C1-K1", "C1-K1-B1", "C1-K1-B2"]


def test_page_outside_the_scope_is_404(client, small_province):
    """Another city's organisation answers as if it did not exist, as an unknown code does."""
    p = small_province
    assert page(client, p.city_user, org="C2-K1").status_code == HTTPStatus.NOT_FOUND
    assert page(client, p.city_user, org="NOPE").status_code == HTTPStatus.NOT_FOUND


def test_secretaries_are_refused_the_page(client, small_province):
    assert page(client, small_province.secretary).status_code == HTTPStatus.FORBIDDEN


def test_committee_desk_links_the_page(client, small_province):
    response = page(client, small_province.city_user)
    home = client.get(reverse("home"))
    assert reverse("cadres:lists") in home.content.decode()
    dashboard = client.get(reverse("dashboard"))
    assert f"{reverse('cadres:lists')}?org=C1" in dashboard.content.decode()
    assert response.status_code == HTTPStatus.OK

"""The dashboard: access by role, drill-down, sorting, lights, deadlines and flat query counts."""

from datetime import date, timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from reports.models import Campaign, CampaignForward
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def graduation_campaign(db):
    return Campaign.objects.create(
        slug="grad",
        name="毕业时间填写",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=10),
        metric="graduation_fill_ratio",
        threshold=Decimal("0.5"),
    )


def get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("dashboard"), params)


def test_province_sees_every_city_with_figures(client, scripted_province, graduation_campaign):
    user = factories.user_with_role(scripted_province.root, Role.PROVINCE)
    response = get(client, user, campaign="grad")
    assert response.status_code == HTTPStatus.OK
    rows = {row.organization.code: row for row in response.context["board"].rows}
    assert set(rows) == {"C1", "C2", "C3"}
    assert rows["C1"].figures["new_members"] == 6
    assert rows["C1"].light == "amber"  # 50% is on the threshold: not named, within ten points
    assert rows["C2"].light == "red"
    assert rows["C3"].light == "grey"
    body = response.content.decode()
    assert "<svg" in body and "共青团甲市委员会" in body


def test_city_drills_down_to_a_branch_page(client, scripted_province, graduation_campaign):
    user = factories.user_with_role(scripted_province.c1, Role.COMMITTEE)
    board = get(client, user).context["board"]
    assert [o.code for o in board.breadcrumb] == ["C1"]  # the province is not theirs to open
    assert {r.organization.code for r in board.rows} == {"K1", "S1"}
    county = get(client, user, org="K1").context["board"]
    assert {r.organization.code for r in county.rows} == {"B1", "B2"}
    branch = get(client, user, org="B1")
    assert branch.templates[0].name == "reports/branch.html"
    assert len(branch.context["members"]) == 4
    assert [m.join_date for m in branch.context["late_members"]] == [date(2019, 3, 1)]
    assert "*" in branch.content.decode()  # committees see masked ID numbers


def test_county_breadcrumb_links_no_ancestor_it_cannot_open(client, scripted_province):
    """A county committee's dashboard, and a branch page below it, link neither the city nor
    the province in the breadcrumb: both would answer 404."""
    p = scripted_province
    user = factories.user_with_role(p.k1, Role.COMMITTEE)
    dashboard = get(client, user)
    assert [o.code for o in dashboard.context["board"].breadcrumb] == ["K1"]
    body = dashboard.content.decode()
    assert "?org=C1" not in body and "?org=P" not in body
    assert p.c1.name not in body.split('class="breadcrumb"')[1].split("</nav>")[0]
    branch = get(client, user, org="B1")
    assert [o.code for o in branch.context["breadcrumb"]] == ["K1", "B1"]
    trail = branch.content.decode().split('class="breadcrumb"')[1].split("</nav>")[0]
    assert "?org=K1" in trail and "?org=C1" not in trail and p.root.name not in trail


def test_secretary_branch_page_has_no_ancestor_links(client, scripted_province):
    user = factories.user_with_role(scripted_province.b1, Role.SECRETARY)
    response = get(client, user)
    assert [o.code for o in response.context["breadcrumb"]] == ["B1"]


def test_city_gets_404_for_a_sibling_city(client, scripted_province):
    user = factories.user_with_role(scripted_province.c1, Role.COMMITTEE)
    assert get(client, user, org="C2").status_code == HTTPStatus.NOT_FOUND
    assert get(client, user, org="B3").status_code == HTTPStatus.NOT_FOUND
    assert get(client, user, org="NOPE").status_code == HTTPStatus.NOT_FOUND


def test_secretary_gets_only_their_branch_page(client, scripted_province):
    user = factories.user_with_role(scripted_province.b1, Role.SECRETARY)
    own = get(client, user)
    assert own.status_code == HTTPStatus.OK
    assert own.context["branch"].code == "B1"
    assert own.context["show_full_ids"] is True
    assert get(client, user, org="C1").status_code == HTTPStatus.NOT_FOUND
    assert get(client, user, org="B2").status_code == HTTPStatus.NOT_FOUND


def test_user_without_role_gets_404(client, scripted_province):
    assert get(client, factories.UserFactory()).status_code == HTTPStatus.NOT_FOUND


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("login") in response.url


def test_sorting_by_a_figure(client, scripted_province, graduation_campaign):
    user = factories.user_with_role(scripted_province.root, Role.PROVINCE)
    ascending = get(client, user, sort="new_members", order="asc").context["board"]
    assert [r.organization.code for r in ascending.rows] == ["C3", "C2", "C1"]
    descending = get(client, user, sort="new_members", order="desc").context["board"]
    assert [r.organization.code for r in descending.rows] == ["C1", "C2", "C3"]


def test_who_has_not_lists(client, scripted_province, graduation_campaign):
    user = factories.user_with_role(scripted_province.root, Role.PROVINCE)
    lists = get(client, user).context["board"].who_has_not
    assert [o.code for o in lists.children_without_entries] == ["C3"]
    assert {d["code"] for d in lists.late_developers} == {"B1", "B3"}
    assert [o.code for o in lists.undated_class_branches] == ["CB2", "CB4"]


def test_deadlines_follow_the_forward_that_reached_the_organisation(
    client, scripted_province, graduation_campaign
):
    CampaignForward.objects.create(
        campaign=graduation_campaign,
        organization=scripted_province.c1,
        internal_deadline=graduation_campaign.deadline - timedelta(days=5),
        contact_person="王心君",
    )
    user = factories.user_with_role(scripted_province.root, Role.PROVINCE)
    (province_deadline,) = get(client, user).context["board"].deadlines
    assert province_deadline.days_left == 10
    (county_deadline,) = get(client, user, org="K1").context["board"].deadlines
    assert county_deadline.days_left == 5
    assert county_deadline.forward.contact_person == "王心君"
    (city_deadline,) = get(client, user, org="C1").context["board"].deadlines
    assert city_deadline.days_left == 10  # the city was given the province's deadline


def test_dashboard_query_count_is_flat_as_the_tree_grows(client, db, graduation_campaign):
    """3 children or 30: the same number of queries."""

    def queries_for(children):
        root = factories.province(code=f"R{children}")
        user = factories.user_with_role(root, Role.PROVINCE, username=f"p{children}")
        for index in range(children):
            city = factories.committee(root, code=f"R{children}-{index}")
            factories.MemberFactory(branch=factories.branch(city))
            factories.class_branch(city)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dashboard"), {"org": root.code})
        assert response.status_code == HTTPStatus.OK
        assert len(response.context["board"].rows) == children
        # The session middleware's own bookkeeping (renewing the idle timeout) is not the page's.
        return len(
            [
                q
                for q in queries.captured_queries
                if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
            ]
        )

    assert queries_for(3) == queries_for(30)

"""The desk: a card per committee job with live counts, every job at most two clicks away."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.numbers.ledger import unaccounted_spans
from reports.desk import counts_for
from tests import factories
from tests.members.moves.conftest import scene  # noqa: F401  (fixture)
from tests.members.moves.test_pages import record

pytestmark = pytest.mark.django_db


def desk(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == HTTPStatus.OK
    return response


def test_desk_counts_arrivals_waiting_for_the_receiving_committee(client, scene):  # noqa: F811
    record(scene)
    response = desk(client, scene.receiving_user)
    assert response.context["counts"].arrivals_to_confirm == 1
    assert desk(client, scene.developing_user).context["counts"].arrivals_to_confirm == 0
    body = response.content.decode()
    assert reverse("moves:inbox") in body


def test_desk_counts_unaccounted_numbers_and_links_the_committee_tools(client):
    p = factories.numbered_province()
    response = desk(client, p.c1_user)
    expected = sum(last - first + 1 for first, last in unaccounted_spans(p.c1))
    assert expected > 0
    assert response.context["counts"].numbers_unaccounted == expected
    body = response.content.decode()
    for url in (
        reverse("members:ledger"),
        reverse("members:lookup"),
        reverse("admin:members_unusednumber_changelist"),
        reverse("tree:page"),
        reverse("reports:schools"),
    ):
        assert url in body, url
    # The committee's own official tables, stamped, one click from the desk.
    stamped = f"{reverse('reports:download', args=['roster'])}?org=C1&amp;stamp=1"
    assert stamped in body
    assert client.get(stamped.replace("&amp;", "&")).status_code == HTTPStatus.OK


def test_only_the_province_gets_the_education_import_card(client):
    p = factories.numbered_province()
    link = reverse("admin:reports_educationcount_table_import")
    assert link not in desk(client, p.c1_user).content.decode()
    assert link in desk(client, p.province_user).content.decode()
    # The link works for the province: the job is two clicks from the desk.
    assert client.get(link).status_code == HTTPStatus.OK


def test_secretary_desk_counts_late_entries_of_the_branch(client):
    p = factories.numbered_province()
    # The scripted members of 2019 were entered years after joining: all late.
    assert counts_for(p.b1_secretary).entered_late == 10
    assert counts_for(p.b2_secretary).entered_late == 5
    response = desk(client, p.b1_secretary)
    assert response.context["counts"].entered_late == 10
    assert 'id="job-numbers"' not in response.content.decode()  # committee cards only


def test_desk_counts_cost_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    p = factories.numbered_province()
    client.force_login(p.province_user)
    with django_assert_max_num_queries(40):
        client.get(reverse("home"))
    for index in range(30):
        factories.branch(p.c3, code=f"C3-B{index}", name=f"丙市第{index}团支部")
    with django_assert_max_num_queries(40):
        client.get(reverse("home"))


def test_desk_figures_agree_with_the_dashboards_figures():
    from reports.desk import DESK_GROUPS, desk_figures
    from reports.metrics import figures_for

    p = factories.numbered_province()
    for organization in (p.province, p.c1, p.k1):
        mine = desk_figures(organization)
        full = figures_for(organization)
        assert mine == {name: full[name] for name in mine}
        assert {"numbers_unaccounted", "entered_late", "moved_overdue"} <= set(mine)
    assert "schools" in DESK_GROUPS

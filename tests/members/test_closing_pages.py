"""The graduates' page offers to close a graduated class branch once it is empty."""

from datetime import date
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Organization, Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db):
    root = factories.province(code="P")
    city = factories.committee(root, code="C1")
    factories.committee(root, code="C2")
    return factories.committee(
        city, kind=Organization.Kind.GRASSROOTS, code="S1", sector=Organization.Sector.SCHOOL
    )


def _graduated(school, code, **kwargs):
    return factories.class_branch(school, code=code, graduation_date=date(2024, 6, 30), **kwargs)


def _close(client, branch, **data):
    payload = {"closed_on": timezone.localdate().isoformat(), "reason": "毕业", **data}
    return client.post(reverse("moves:close_class", args=[branch.code]), payload)


def test_graduates_page_offers_only_empty_graduated_classes(client, school):
    """An empty graduated class is offered for closing; one still holding members is not."""
    empty = _graduated(school, "CB1", name="空班")
    full = _graduated(school, "CB2", name="满班")
    factories.MemberFactory(branch=full)
    client.force_login(factories.user_with_role(school, Role.COMMITTEE))
    response = client.get(reverse("moves:graduates"), {"org": school.code})
    assert response.status_code == HTTPStatus.OK
    assert [b.code for b in response.context["closable"]] == [empty.code]
    html = response.content.decode()
    assert reverse("moves:close_class", args=[empty.code]) in html
    # The section sits once, in the page's content: not in its <title> or <head>.
    assert html.count('id="closable-classes"') == 1
    assert "<h2>" not in html.split("<title>", 1)[1].split("</title>", 1)[0]


def test_closing_a_graduated_empty_class_from_the_graduates_page(client, school):
    """Posting the page's form closes the class branch, which then leaves the page."""
    branch = _graduated(school, "CB1")
    client.force_login(factories.user_with_role(school, Role.COMMITTEE))
    response = _close(client, branch)
    assert response.status_code == HTTPStatus.FOUND
    branch.refresh_from_db()
    assert branch.status == Organization.Status.CLOSED
    assert branch.closed_on == timezone.localdate()
    assert branch.closing_reason == "毕业"
    page = client.get(reverse("moves:graduates"), {"org": school.code})
    assert page.context["closable"] == []


def test_closing_a_class_with_members_is_refused_with_their_names(client, school):
    """The page answers with the service's message naming who is still in the class."""
    branch = _graduated(school, "CB1")
    factories.MemberFactory(branch=branch, name="李四")
    client.force_login(factories.user_with_role(school, Role.COMMITTEE))
    response = _close(client, branch)
    branch.refresh_from_db()
    assert branch.is_open
    page = client.get(response.url)
    assert "李四" in page.content.decode()


def test_closing_outside_the_subtree_answers_404(client, school):
    """A committee of another city finds no such class branch; a secretary may not close."""
    branch = _graduated(school, "CB1")
    client.force_login(
        factories.user_with_role(Organization.objects.get(code="C2"), Role.COMMITTEE)
    )
    assert _close(client, branch).status_code == HTTPStatus.NOT_FOUND
    client.force_login(factories.user_with_role(branch, Role.SECRETARY))
    assert _close(client, branch).status_code == HTTPStatus.FORBIDDEN
    branch.refresh_from_db()
    assert branch.is_open

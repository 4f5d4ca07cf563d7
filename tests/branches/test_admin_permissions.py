"""The permission matrix of the organisation admin: every role against every kind of URL."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from branches.models import Organization

pytestmark = pytest.mark.django_db

ROLES = ["province_user", "city_user", "county_user", "secretary"]


def _client(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "visible_codes"),
    [
        ("province_user", {"P", "C1", "C2", "C1-K1", "C1-K1-B1", "C1-K1-B2", "C2-K1", "C2-K1-B1"}),
        ("city_user", {"C1", "C1-K1", "C1-K1-B1", "C1-K1-B2"}),
        ("county_user", {"C1-K1", "C1-K1-B1", "C1-K1-B2"}),
        ("secretary", {"C1-K1-B1"}),
    ],
)
def test_changelist_lists_only_the_subtree(client, small_province, role, visible_codes):
    """Each role's organisation list holds exactly its scope."""
    response = _client(client, getattr(small_province, role)).get(
        reverse("admin:branches_organization_changelist")
    )
    assert response.status_code == HTTPStatus.OK
    listed = {obj.code for obj in response.context["cl"].result_list}
    assert listed == visible_codes


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("province_user", HTTPStatus.OK),
        ("city_user", HTTPStatus.OK),
        ("county_user", HTTPStatus.OK),
        ("secretary", HTTPStatus.FORBIDDEN),
    ],
)
def test_add_page_by_role(client, small_province, role, expected):
    response = _client(client, getattr(small_province, role)).get(
        reverse("admin:branches_organization_add")
    )
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "can_edit"),
    [("province_user", True), ("city_user", True), ("county_user", True), ("secretary", False)],
)
def test_change_in_scope(client, small_province, role, can_edit):
    """In scope, committees edit and secretaries only read their branch."""
    branch = small_province.branch
    url = reverse("admin:branches_organization_change", args=[branch.pk])
    c = _client(client, getattr(small_province, role))
    assert c.get(url).status_code == HTTPStatus.OK
    response = c.post(
        url,
        {
            "code": branch.code,
            "name": "改过的名字",
            "parent_code": "C1-K1",
            "kind": branch.kind,
            "sector": branch.sector,
        },
    )
    branch.refresh_from_db()
    if can_edit:
        assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
        assert branch.name == "改过的名字"
    else:
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert branch.name == "甲县第一团支部"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("province_user", HTTPStatus.OK),
        ("city_user", HTTPStatus.OK),
        ("county_user", HTTPStatus.OK),
        ("secretary", HTTPStatus.FORBIDDEN),
    ],
)
def test_delete_page_in_scope(client, small_province, role, expected):
    url = reverse("admin:branches_organization_delete", args=[small_province.branch.pk])
    assert _client(client, getattr(small_province, role)).get(url).status_code == expected


@pytest.mark.parametrize("role", ["city_user", "county_user", "secretary"])
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_object_urls_outside_scope_answer_404(client, small_province, role, view):
    """A sibling city's branch does not exist for them: GET and POST answer 404, nothing changes."""
    foreign = small_province.foreign_branch
    url = reverse(f"admin:branches_organization_{view}", args=[foreign.pk])
    c = _client(client, getattr(small_province, role))
    assert c.get(url).status_code == HTTPStatus.NOT_FOUND
    response = c.post(
        url,
        {
            "code": foreign.code,
            "name": "被篡改",
            "parent_code": "C2-K1",
            "kind": foreign.kind,
            "sector": foreign.sector,
            "post": "yes",
        },
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    foreign.refresh_from_db()
    assert foreign.name == "乙县第一团支部"


def test_unknown_and_foreign_ids_look_the_same(client, small_province):
    """404 for a missing id and for a foreign one: existence does not leak."""
    c = _client(client, small_province.county_user)
    foreign = reverse("admin:branches_organization_change", args=[small_province.foreign_branch.pk])
    missing = reverse("admin:branches_organization_change", args=[999999])
    assert c.get(foreign).status_code == c.get(missing).status_code == HTTPStatus.NOT_FOUND


def test_committee_cannot_add_outside_its_subtree(client, small_province):
    """A crafted POST naming a sibling city's county as parent is refused and writes nothing."""
    c = _client(client, small_province.city_user)
    response = c.post(
        reverse("admin:branches_organization_add"),
        {
            "code": "NEW1",
            "name": "越权新建",
            "parent_code": "C2-K1",
            "kind": Organization.Kind.BRANCH,
            "sector": Organization.Sector.ENTERPRISE,
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "parent_code" in response.context["adminform"].form.errors
    assert not Organization.objects.filter(code="NEW1").exists()


def test_committee_adds_a_child_in_its_subtree(client, small_province):
    c = _client(client, small_province.county_user)
    response = c.post(
        reverse("admin:branches_organization_add"),
        {
            "code": "NEW2",
            "name": "新团支部",
            "parent_code": "C1-K1",
            "kind": Organization.Kind.BRANCH,
            "sector": Organization.Sector.ENTERPRISE,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    new = Organization.objects.get(code="NEW2")
    assert Organization.objects.get_parent(new).code == "C1-K1"


def test_committee_cannot_move_its_subtree_under_itself(client, small_province):
    county = small_province.county
    c = _client(client, small_province.city_user)
    response = c.post(
        reverse("admin:branches_organization_change", args=[county.pk]),
        {
            "code": county.code,
            "name": county.name,
            "parent_code": "C1-K1-B1",
            "kind": county.kind,
            "sector": county.sector,
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "parent_code" in response.context["adminform"].form.errors
    county.refresh_from_db()
    assert Organization.objects.get_parent(county).code == "C1"


def test_committee_cannot_delete_its_own_node(client, small_province):
    c = _client(client, small_province.county_user)
    url = reverse("admin:branches_organization_delete", args=[small_province.county.pk])
    assert c.get(url).status_code == HTTPStatus.FORBIDDEN


def test_node_with_children_cannot_be_deleted(client, small_province):
    """Deleting a node would take its subtree with it: only leaves are deletable."""
    c = _client(client, small_province.city_user)
    url = reverse("admin:branches_organization_delete", args=[small_province.county.pk])
    assert c.get(url).status_code == HTTPStatus.FORBIDDEN


def test_user_without_access_sees_no_admin_models(client, db):
    from tests.factories import UserFactory

    c = _client(client, UserFactory())
    response = c.get(reverse("admin:index"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["app_list"] == []
    url = reverse("admin:branches_organization_changelist")
    assert c.get(url).status_code == HTTPStatus.FORBIDDEN


def test_changelist_shows_tree_position_in_one_query(
    client, small_province, django_assert_max_num_queries
):
    """The breadcrumb of every row comes from one extra query, whatever the page size."""
    c = _client(client, small_province.province_user)
    url = reverse("admin:branches_organization_changelist")
    with django_assert_max_num_queries(12):
        response = c.get(url)
    row = next(o for o in response.context["cl"].result_list if o.code == "C1-K1-B1")
    assert [code for code, _name in row.ancestry] == ["P", "C1", "C1-K1"]
    assert "甲市团委" in response.content.decode()


def test_changelist_tree_position_links_only_ancestors_the_user_may_open(client, small_province):
    """A county committee's list shows its branch under the county only: links to the city or
    the province would answer 404."""
    c = _client(client, small_province.county_user)
    response = c.get(reverse("admin:branches_organization_changelist"))
    row = next(o for o in response.context["cl"].result_list if o.code == "C1-K1-B1")
    assert [code for code, _name in row.ancestry] == ["C1-K1"]
    body = response.content.decode()
    assert "under=C1-K1" in body
    assert "under=P&" not in body and 'under=P"' not in body and 'under=C1"' not in body

"""The organisation tree that scales: one level per request, children on demand, search, names
with their parent where they repeat; organisation pickers are scoped autocompletes."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from branches.models import Organization, Role
from tests import factories

pytestmark = pytest.mark.django_db

WIDE = 150


@pytest.fixture
def wide(small_province):
    """甲县团委 with many schools, each with a branch of the same name."""
    p = small_province
    for index in range(WIDE):
        school = factories.committee(
            p.county,
            kind=Organization.Kind.GRASSROOTS,
            code=f"S{index:03}",
            name=f"第{index}中学团委",
        )
        factories.branch(school, code=f"S{index:03}-B1", name="高三（1）班团支部")
    return p


def test_tree_page_shows_one_level_and_opens_children_on_demand(client, wide):
    client.force_login(wide.city_user)
    page = client.get(reverse("tree:page"))
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert "甲县团委" in body and "第0中学团委" not in body  # only the first level
    assert f'data-children="{reverse("tree:children")}?org=C1-K1"' in body
    fragment = client.get(reverse("tree:children"), {"org": "C1-K1"}).content.decode()
    assert fragment.count("<li ") == WIDE + 2  # and the county's two branches
    assert "第149中学团委" in fragment
    # The no-JavaScript way down: each node links to the tree opened at it.
    assert f"{reverse('tree:page')}?org=S000" in fragment


def test_tree_endpoints_answer_404_outside_the_scope(client, wide):
    client.force_login(wide.other_city_user)
    assert client.get(reverse("tree:children"), {"org": "C1-K1"}).status_code == 404
    assert client.get(reverse("tree:page"), {"org": "S001"}).status_code == 404


def test_tree_children_query_count_does_not_grow_with_width(
    client, wide, django_assert_max_num_queries
):
    client.force_login(wide.province_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("tree:children"), {"org": "C1-K1"})
    assert response.content.decode().count("<li ") == WIDE + 2


def test_tree_search_names_repeated_branches_with_their_parent(
    client, wide, django_assert_max_num_queries
):
    client.force_login(wide.county_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("tree:page"), {"q": "高三（1）班"})
    results = response.context["results"]
    assert len(results) == 50  # capped
    assert str(results[0]) == "高三（1）班团支部 · 第0中学团委"
    assert "高三（1）班团支部 · 第0中学团委" in response.content.decode()
    # The other city's user finds nothing of 甲县.
    client.force_login(wide.other_city_user)
    assert client.get(reverse("tree:page"), {"q": "高三"}).context["results"] == []


def autocomplete(client, model_name, field_name, term="", app_label="members"):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


def test_number_range_form_picks_its_holder_by_autocomplete_not_a_drop_down(client, wide):
    client.force_login(wide.province_user)
    form = client.get(reverse("admin:members_numberrange_add")).content.decode()
    start = form.index('id="id_organization"')
    select = form[start : form.index("</select>", start)]
    assert "admin-autocomplete" in form[form.rindex("<select", 0, start) : start + 200]
    assert "<option" not in select.replace('<option value="" selected>', "")
    assert "第0中学团委" not in form


def test_autocomplete_is_scoped_to_the_form_fields_choices(
    client, wide, django_assert_max_num_queries
):
    client.force_login(wide.county_user)
    with django_assert_max_num_queries(10):
        response = autocomplete(client, "numberrange", "organization", "团")
    assert response.status_code == HTTPStatus.OK
    texts = [row["text"] for row in response.json()["results"]]
    assert texts and "甲县团委" not in texts  # a committee hands ranges only below itself
    assert not any("乙" in text for text in texts)  # nothing of the other city
    assert "高三（1）班团支部 · 第0中学团委" in texts
    assert response.json()["pagination"]["more"] is True  # paged, never the whole tree


def test_autocomplete_query_count_does_not_grow_with_width(
    client, wide, django_assert_max_num_queries
):
    client.force_login(wide.province_user)
    with django_assert_max_num_queries(10):
        response = autocomplete(client, "numberrange", "organization", "高三")
    assert len(response.json()["results"]) == 20


def test_autocomplete_for_an_unknown_field_offers_nothing(client, wide):
    client.force_login(wide.province_user)
    response = autocomplete(client, "numberrange", "nonsense")
    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)


def test_picker_names_role_grant(client, wide):
    """The accounts form's organisation picker (an inline) is an autocomplete too."""
    user = factories.user_with_role(wide.province, Role.PROVINCE, username="p2")
    client.force_login(user)
    response = autocomplete(client, "organizationaccess", "organization", "高三", "branches")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["results"][0]["text"].startswith("高三（1）班团支部 · ")

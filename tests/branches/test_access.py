"""branches.access: the page's organisation, report-ins, school codes and who reads full ID numbers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from branches import access
from branches.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


def test_requested_organization_defaults_to_the_users_own(small_province):
    p = small_province
    assert access.requested_organization(p.city_user) == p.city
    assert access.requested_organization(p.city_user, "") == p.city


def test_requested_organization_in_scope_by_code(small_province):
    p = small_province
    assert access.requested_organization(p.city_user, "C1-K1-B1") == p.branch


@pytest.mark.parametrize("code", ["C2", "C2-K1-B1", "NO-SUCH-CODE"])
def test_requested_organization_outside_scope_or_unknown_is_404(small_province, code):
    with pytest.raises(Http404):
        access.requested_organization(small_province.city_user, code)


def test_requested_organization_without_an_organisation_is_404(small_province):
    stranger = factories.UserFactory(username="stranger")
    with pytest.raises(Http404):
        access.requested_organization(stranger)


def test_requested_organization_checks_the_capability(small_province):
    p = small_province
    dashboard = access.Capability.VIEW_DASHBOARD
    assert access.requested_organization(p.city_user, None, dashboard) == p.city
    with pytest.raises(PermissionDenied):
        access.requested_organization(p.secretary, None, dashboard)


# --- writes across a scope and full ID numbers -------------------------------------------------


@pytest.mark.parametrize(
    ("role", "consented", "allowed"),
    [
        ("other_city_user", False, False),  # developer, not holder: records, never takes
        ("other_city_user", True, True),  # the holder recorded the move
        ("province_user", False, True),  # holds both sides
        ("county_user", False, False),  # holder, but the target is not in its scope
    ],
)
def test_can_move_member(small_province, role, consented, allowed):
    """A member held in 甲县's branch, developed by 乙县's, reports to 乙县's branch."""
    p = small_province
    assert (
        access.can_move_member(
            getattr(p, role),
            held_in=p.branch,
            developed_by=p.foreign_branch,
            into=p.foreign_branch,
            holder_consented=consented,
        )
        is allowed
    )


def test_can_move_member_for_a_receiving_side_that_did_not_develop(small_province):
    p = small_province
    assert access.can_move_member(
        p.other_city_user,
        held_in=p.branch,
        developed_by=p.other_branch,
        into=p.foreign_branch,
        holder_consented=False,
    )


@pytest.mark.parametrize(
    ("role", "place", "allowed"),
    [
        ("county_user", "county", True),
        ("county_user", "city", True),  # the city that holds its subtree
        ("county_user", "other_city", False),
        ("county_user", "province", False),  # a school counted in no known city
        ("city_user", "other_city", False),
        ("secretary", "branch", False),  # secretaries manage no organisations
        ("province_user", "other_city", True),
        ("province_user", "province", True),
    ],
)
def test_can_attribute_school(small_province, role, place, allowed):
    p = small_province
    assert access.can_attribute_school(getattr(p, role), getattr(p, place)) is allowed


@pytest.mark.parametrize(
    "role", ["secretary", "county_user", "city_user", "other_city_user", "province_user"]
)
def test_full_id_numbers_rule_in_both_forms(small_province, role):
    """The Python check and the queryset agree: only the branch's secretary and the province."""
    p = small_province
    user = getattr(p, role)
    branches = [p.branch, p.other_branch, p.foreign_branch]
    by_check = {b.pk for b in branches if access.sees_full_id_numbers(user, b)}
    by_query = set(
        Organization.objects.filter(
            access.full_id_q(user, via=""), pk__in=[b.pk for b in branches]
        ).values_list("pk", flat=True)
    )
    assert by_check == by_query
    expected = {
        "secretary": {p.branch.pk},
        "province_user": {b.pk for b in branches},
    }.get(role, set())
    assert by_check == expected


def test_visible_ancestors_are_those_the_user_may_open(small_province):
    """Root first; a committee sees only its own part of the chain, a secretary none of it."""
    p = small_province
    codes = lambda user, org: [o.code for o in access.visible_ancestors(user, org)]  # noqa: E731
    assert codes(p.province_user, p.branch) == ["P", "C1", "C1-K1"]
    assert codes(p.city_user, p.branch) == ["C1", "C1-K1"]
    assert codes(p.county_user, p.branch) == ["C1-K1"]
    assert codes(p.county_user, p.county) == []
    assert codes(p.secretary, p.branch) == []
    assert codes(p.province_user, p.province) == []

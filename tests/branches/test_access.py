"""branches.access.requested_organization: the organisation a page's ``?org=`` asks for."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from branches import access
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

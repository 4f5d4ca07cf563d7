"""Fixtures shared by the whole suite."""

from dataclasses import dataclass

import pytest

from branches.models import Organization, Role
from tests import factories


@dataclass
class SmallProvince:
    """Province > two cities > a county each > branches; plus one user per role."""

    province: Organization
    city: Organization
    other_city: Organization
    county: Organization
    branch: Organization
    other_branch: Organization
    foreign_branch: Organization
    province_user: object
    city_user: object
    county_user: object
    secretary: object
    other_city_user: object


@pytest.fixture
def small_province(db):
    root = factories.province(code="P", name="测试省团委")
    city = factories.committee(root, code="C1", name="甲市团委")
    other_city = factories.committee(root, code="C2", name="乙市团委")
    county = factories.committee(city, kind=Organization.Kind.COUNTY, code="C1-K1", name="甲县团委")
    branch = factories.branch(county, code="C1-K1-B1", name="甲县第一团支部")
    other_branch = factories.branch(county, code="C1-K1-B2", name="甲县第二团支部")
    other_county = factories.committee(
        other_city, kind=Organization.Kind.COUNTY, code="C2-K1", name="乙县团委"
    )
    foreign_branch = factories.branch(other_county, code="C2-K1-B1", name="乙县第一团支部")
    return SmallProvince(
        province=root,
        city=city,
        other_city=other_city,
        county=county,
        branch=branch,
        other_branch=other_branch,
        foreign_branch=foreign_branch,
        province_user=factories.user_with_role(root, Role.PROVINCE, username="prov"),
        city_user=factories.user_with_role(city, Role.COMMITTEE, username="city"),
        county_user=factories.user_with_role(county, Role.COMMITTEE, username="county"),
        secretary=factories.user_with_role(branch, Role.SECRETARY, username="sec"),
        other_city_user=factories.user_with_role(other_city, Role.COMMITTEE, username="city2"),
    )

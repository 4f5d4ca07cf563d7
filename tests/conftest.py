"""Fixtures shared by the whole suite."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import translation

from branches.models import Organization, Role
from tests import factories


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language, whatever a request before it left active
    (the language switch test leaves English), so that messages read as users see them."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


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


def at(day, hour=10):
    """An aware datetime on ``day`` in the project's time zone."""
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class ScriptedProvince:
    """A province with known answers for the entry and graduation figures.

    P > C1 > K1 > B1, B2;  C1 > S1 (school) > CB1 (dated), CB2 (undated), CB3 (teachers)
    P > C2 > B3, CB4 (undated);  P > C3 (empty)
    """

    root: Organization
    c1: Organization
    c2: Organization
    c3: Organization
    k1: Organization
    b1: Organization
    b2: Organization
    b3: Organization
    s1: Organization
    cb1: Organization
    cb2: Organization
    cb3: Organization
    cb4: Organization


@pytest.fixture
def scripted_province(db):
    from datetime import date

    Kind = Organization.Kind
    root = factories.province(code="P", name="共青团测试省委")
    c1 = factories.committee(root, code="C1", name="共青团甲市委员会")
    c2 = factories.committee(root, code="C2", name="共青团乙市委员会")
    c3 = factories.committee(root, code="C3", name="共青团丙市委员会")
    k1 = factories.committee(c1, kind=Kind.COUNTY, code="K1", name="甲县团委")
    b1 = factories.branch(k1, code="B1", name="甲县一支部")
    b2 = factories.branch(k1, code="B2", name="甲县二支部")
    s1 = factories.committee(
        c1, kind=Kind.GRASSROOTS, code="S1", name="甲市一中团委", sector=Organization.Sector.SCHOOL
    )
    cb1 = factories.class_branch(
        s1, code="CB1", name="高三1班团支部", graduation_date=date(2019, 6, 30)
    )
    cb2 = factories.class_branch(s1, code="CB2", name="高三2班团支部")
    cb3 = factories.class_branch(
        s1,
        code="CB3",
        name="教职工团支部",
        no_graduation_reason=Organization.NoGraduationReason.TEACHERS,
    )
    b3 = factories.branch(c2, code="B3", name="乙市支部")
    cb4 = factories.class_branch(c2, code="CB4", name="乙市职校1班团支部")
    member = factories.MemberFactory
    for entered in (date(2019, 3, 15), date(2019, 3, 20), date(2019, 5, 1)):
        member(
            branch=b1,
            join_date=date(2019, 3, 1),
            birth_date=date(2002, 1, 1),
            entered_at=at(entered),
        )
    member(
        branch=b1,
        join_date=date(2016, 5, 1),
        birth_date=date(2000, 1, 1),
        entered_at=at(date(2019, 1, 1)),
    )
    member(
        branch=b2,
        join_date=date(2018, 6, 1),
        birth_date=date(2001, 1, 1),
        entered_at=at(date(2019, 1, 1)),
    )
    for _ in range(2):
        member(
            branch=cb1,
            join_date=date(2019, 9, 1),
            birth_date=date(2003, 1, 1),
            entered_at=at(date(2019, 9, 20)),
        )
    member(
        branch=b3,
        join_date=date(2020, 1, 10),
        birth_date=date(2003, 1, 1),
        entered_at=at(date(2020, 3, 1)),
    )
    return ScriptedProvince(root, c1, c2, c3, k1, b1, b2, b3, s1, cb1, cb2, cb3, cb4)


@pytest.fixture
def people_table():
    """Registers the test table ``test_people`` (members of a subtree) for the test."""
    from reports.tables.base import TABLES, table_kinds
    from tests.tables import PEOPLE, register_test_table

    table_kinds()  # load the real tables first
    register_test_table()
    yield PEOPLE
    TABLES.pop(PEOPLE.kind, None)

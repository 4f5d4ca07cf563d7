"""A member's number: inside the developing organisation's ranges, never used or registered."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from members.models import Member, NumberRange
from members.numbers import services as numbering
from tests.factories import (
    IssuedNumberFactory,
    MemberFactory,
    n2019,
    new_member,
    numbered_province,
)

pytestmark = pytest.mark.django_db

NOT_IN_RANGES = "编号不在本组织号段内"
ALREADY_USED = "编号已被使用，请联系上级团组织"


@pytest.fixture
def p():
    return numbered_province()


def candidate(branch, number, *, year=2019, developing_organization=None):
    """An unsaved member, as a form or an import would build it."""
    member = MemberFactory.build(
        branch=branch,
        developing_organization=developing_organization or branch,
        join_date=date(year, 5, 1),
        birth_date=date(year - 17, 3, 1),
        development_number=number,
    )
    return member


def number_errors(member):
    with translation.override("zh-hans"):
        try:
            member.full_clean()
        except ValidationError as exc:
            return exc.message_dict.get("development_number", [])
    return []


def test_number_in_own_range_is_accepted(p):
    assert number_errors(candidate(p.b1, n2019(10016))) == []


def test_number_in_an_ancestors_range_is_accepted(p):
    """B2 holds no range: K1's numbers outside B1's range are its own."""
    assert number_errors(candidate(p.b2, n2019(10030))) == []
    assert number_errors(candidate(p.b3, n2019(10070))) == []


def test_number_outside_every_range_is_refused(p):
    assert number_errors(candidate(p.b1, n2019(20001))) == [NOT_IN_RANGES]


def test_number_in_another_subtrees_range_is_refused_without_saying_whose(p):
    """10016 is B1's; B2, its sibling, may not use it, and the error names nobody."""
    errors = number_errors(candidate(p.b2, n2019(10016)))
    assert errors == [NOT_IN_RANGES]
    assert "B1" not in errors[0] and "甲县第一团支部" not in errors[0]
    # A number of another city's range.
    assert number_errors(candidate(p.b1, n2019(10140))) == [NOT_IN_RANGES]


def test_number_handed_down_to_a_child_is_not_the_parents_any_more(p):
    """K1 handed 10001–10020 to B1: a member developed by K1 itself cannot take one of them."""
    member = candidate(p.b2, n2019(10017), developing_organization=p.k1)
    assert number_errors(member) == [NOT_IN_RANGES]


def test_used_number_is_refused_for_a_second_member(p):
    """B1's member holds 10001: a second member gets the 'already used' error."""
    assert number_errors(candidate(p.b1, n2019(10001))) == [ALREADY_USED]


def test_used_number_cannot_be_saved_twice_in_the_database(p):
    with pytest.raises(IntegrityError), transaction.atomic():
        new_member(p.b1, n2019(10001))


def test_registered_number_is_refused_for_a_member(p):
    """10011 is registered as voided: no member may hold it."""
    assert number_errors(candidate(p.b1, n2019(10011))) == [ALREADY_USED]


def test_number_issued_to_another_organisation_is_refused(p):
    """10030 was issued to B2: B2's member may take it, K1's own member may not."""
    IssuedNumberFactory(number_range=p.ranges["K1"], number=n2019(10030), organization=p.b2)
    assert number_errors(candidate(p.b2, n2019(10030))) == []
    other = candidate(p.b2, n2019(10030), developing_organization=p.k1)
    assert number_errors(other) == [ALREADY_USED]


def test_the_member_keeps_its_own_number_when_edited(p):
    member = Member.objects.get(development_number=n2019(10001))
    member.phone = "13900139000"
    assert number_errors(member) == []


def test_2018_member_may_use_a_2017_number(p):
    """2017 and 2018 are interchangeable; the range rule still applies."""
    NumberRange.objects.create(organization=p.province, first=201700000001, last=201700000100)
    NumberRange.objects.create(organization=p.c1, first=201700000001, last=201700000050)
    assert number_errors(candidate(p.b3, 201700000010, year=2018)) == []
    assert number_errors(candidate(p.b4, 201700000010, year=2018)) == [NOT_IN_RANGES]


def test_a_year_without_any_range_is_not_checked_against_ranges(p):
    """Until the province records ranges for a year, its numbers cannot be checked against
    them (members entered before ranges were recorded stay valid); uniqueness still holds."""
    assert number_errors(candidate(p.b1, 202000010001, year=2020)) == []


def test_members_before_2017_have_no_range_rule(p):
    member = candidate(p.b1, None, year=2016)
    assert number_errors(member) == []
    member = candidate(p.b1, 201600000001, year=2016)
    assert number_errors(member) == []


def test_used_number_cannot_be_registered_unused(p):
    """The other direction: a number a member holds cannot go into the register."""
    with translation.override("en"), pytest.raises(ValidationError, match="used by a member"):
        numbering.unused_number_register(
            first=n2019(10005), status="voided", explanation="作废", user=p.k1_user
        )

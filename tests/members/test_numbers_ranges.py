"""Number ranges: nested inside the parent's, never overlapping a sibling's, one year each."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from members.models import NumberRange
from members.numbers import services as numbering
from tests.factories import (
    IssuedNumberFactory,
    NumberRangeFactory,
    UnusedNumberFactory,
    n2019,
    numbered_province,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def p():
    return numbered_province()


def create(p, holder, first, last, user=None):
    return numbering.number_range_create(
        organization=holder, first=n2019(first), last=n2019(last), user=user
    )


def test_committee_hands_a_range_to_a_child_inside_its_own(p):
    """C1 hands B3 part of its own undistributed numbers; who and when are recorded."""
    made = create(p, p.b3, 10060, 10069, user=p.c1_user)
    assert made.level == p.b3.depth and made.size == 10
    assert made.created_by == p.c1_user and made.created_at is not None
    assert made.history.first().history_user == p.c1_user


def test_overlapping_sibling_range_is_refused(p):
    with pytest.raises(ValidationError, match="overlaps"):
        create(p, p.b2, 10015, 10030, user=p.k1_user)
    assert not NumberRange.objects.filter(organization=p.b2).exists()


def test_a_holders_own_ranges_do_not_overlap(p):
    with pytest.raises(ValidationError, match="overlaps"):
        create(p, p.b1, 10020, 10025, user=p.k1_user)


def test_child_range_must_lie_inside_a_parent_range(p):
    with pytest.raises(ValidationError, match="inside one range held by the parent"):
        create(p, p.b2, 10035, 10045, user=p.c1_user)
    # B3's parent C1 holds 10001–10100; 10290 lies only in the province's range.
    with pytest.raises(ValidationError, match="inside one range held by the parent"):
        create(p, p.b3, 10290, 10291, user=p.c1_user)
    # C3's parent is the province: inside its range, outside every sibling's.
    assert create(p, p.c3, 10151, 10200, user=p.province_user).size == 50


def test_only_provincial_staff_enter_the_roots_ranges(p):
    with pytest.raises(ValidationError, match="Only provincial staff"):
        create(p, p.province, 20001, 20100, user=p.c1_user)
    made = create(p, p.province, 20001, 20100, user=p.province_user)
    assert made.level == 1


def test_committee_cannot_hand_itself_or_outside_its_scope(p):
    with pytest.raises(ValidationError, match="handed to it by the committee above"):
        create(p, p.c1, 10151, 10160, user=p.c1_user)
    with pytest.raises(ValidationError, match="No such organisation"):
        create(p, p.b4, 10131, 10135, user=p.c1_user)
    with pytest.raises(ValidationError):
        create(p, p.b2, 10021, 10030, user=p.b1_secretary)


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (201900010030, 201900010021, "must not come after"),
        (20190001003, 20190001009, "12 digits"),
        (201900010030, 202000010030, "same year"),
    ],
)
def test_range_shape_is_validated(p, first, last, message):
    with pytest.raises(ValidationError, match=message):
        numbering.number_range_create(
            organization=p.c3, first=first, last=last, user=p.province_user
        )


@pytest.mark.parametrize(
    ("first", "last"),
    [(201900010030, 201900010021), (20190001003, 20190001009), (201900010030, 202000010030)],
)
def test_database_refuses_a_badly_shaped_range(p, first, last):
    with pytest.raises(IntegrityError), transaction.atomic():
        NumberRange.objects.create(organization=p.c3, first=first, last=last)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraint")
def test_postgresql_refuses_overlapping_ranges_of_one_level(p):
    """The database itself refuses sibling overlaps, even past the validation."""
    with pytest.raises(IntegrityError), transaction.atomic():
        NumberRange.objects.bulk_create(
            [NumberRange(organization=p.b2, first=n2019(10019), last=n2019(10022), level=4)]
        )
    # Nested ranges of different levels are fine.
    NumberRange.objects.bulk_create(
        [NumberRange(organization=p.c3, first=n2019(10151), last=n2019(10160), level=2)]
    )


def test_range_over_numbers_used_elsewhere_is_refused(p):
    """B3's members hold 10041–10042 from C1's own numbers: they cannot go to K1."""
    with pytest.raises(ValidationError, match="already used, issued or registered"):
        create(p, p.k1, 10041, 10045, user=p.c1_user)
    assert create(p, p.k1, 10043, 10045, user=p.c1_user).size == 3


def test_range_over_the_parents_register_is_refused(p):
    """C1 registered 10050 as lost; it cannot hand it on without withdrawing that first."""
    with pytest.raises(ValidationError, match="already used, issued or registered"):
        create(p, p.b3, 10045, 10055, user=p.c1_user)


def test_range_over_a_number_issued_elsewhere_is_refused(p):
    IssuedNumberFactory(number_range=p.ranges["C1"], number=n2019(10090), organization=p.b3)
    with pytest.raises(ValidationError, match="already used, issued or registered"):
        create(p, p.k1, 10085, 10095, user=p.c1_user)


def test_range_change_keeps_what_lies_inside(p):
    k1_range = p.ranges["K1"]
    with pytest.raises(ValidationError, match="must keep them"):
        numbering.number_range_update(
            number_range=k1_range, first=n2019(10005), last=n2019(10040), user=p.c1_user
        )
    numbering.number_range_update(
        number_range=k1_range, first=n2019(10001), last=n2019(10030), user=p.c1_user
    )
    k1_range.refresh_from_db()
    assert k1_range.size == 30


def test_range_withdrawal_needs_an_empty_range(p):
    with pytest.raises(ValidationError, match="ranges handed on"):
        numbering.number_range_delete(number_range=p.ranges["K1"], user=p.c1_user)
    with pytest.raises(ValidationError, match="used, issued or registered"):
        numbering.number_range_delete(number_range=p.ranges["B1"], user=p.k1_user)
    empty = create(p, p.b3, 10060, 10069, user=p.c1_user)
    numbering.number_range_delete(number_range=empty, user=p.c1_user)
    assert not NumberRange.objects.filter(pk=empty.pk).exists()


def test_range_factory_and_register_factory_agree(p):
    """The factories build what the services would accept (a sanity check of the fixture)."""
    entry = UnusedNumberFactory(
        number_range=NumberRangeFactory(organization=p.c3, first=n2019(10160))
    )
    assert entry.organization == p.c3 and entry.last == entry.first

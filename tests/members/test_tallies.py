"""The stored counts behind the dashboards stay equal to a recount after every kind of write."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from members import services, tallies
from members.models import Member, Move, NumberRange, OrganizationTally, UnusedNumber
from members.moves.services import move_create
from tests.factories import (
    MemberFactory,
    NumberRangeFactory,
    UnusedNumberFactory,
    branch,
    committee,
    new_member,
    province,
)

pytestmark = pytest.mark.django_db


def recounted_organizations():
    rows = (
        Member.objects.new_members()
        .values("developing_organization_id")
        .annotate(
            new_members=Count("id"),
            entered_on_time=Count("id", filter=Q(entry_deadline__isnull=False, entered_late=False)),
            entered_late=Count("id", filter=Q(entered_late=True)),
        )
        .order_by()
    )
    return {row.pop("developing_organization_id"): row for row in rows if row["new_members"]}


def stored_organizations():
    return {
        t.organization_id: {
            "new_members": t.new_members,
            "entered_on_time": t.entered_on_time,
            "entered_late": t.entered_late,
        }
        for t in OrganizationTally.objects.all()
        if t.new_members
    }


def recounted_ranges():
    result = {}
    for r in NumberRange.objects.all():
        used = Member.objects.filter(
            development_number__gte=r.first, development_number__lte=r.last
        ).count()
        explained = sum(
            u.last - u.first + 1
            for u in UnusedNumber.objects.filter(first__gte=r.first, last__lte=r.last)
        )
        result[r.pk] = (used, explained)
    return result


def stored_ranges():
    return {r.pk: (r.used_count, r.explained_count) for r in NumberRange.objects.all()}


def assert_exact():
    assert stored_organizations() == recounted_organizations()
    assert stored_ranges() == recounted_ranges()


@pytest.fixture
def tree(db):
    root = province(code="P")
    city = committee(root, code="C1")
    b1, b2 = branch(city, code="B1"), branch(city, code="B2")
    root_range = NumberRangeFactory(organization=root, first=201900000001, last=201999999999)
    city_range = NumberRangeFactory(organization=city, first=201900000001, last=201900009999)
    return root, city, b1, b2, root_range, city_range


def test_create_update_delete_members(tree):
    root, city, b1, b2, root_range, city_range = tree
    first = new_member(b1, 201900000010, year=2019)
    new_member(b2, 201900000011, year=2019)
    MemberFactory(
        branch=b1, join_date=date(2016, 5, 1), birth_date=date(2000, 1, 1), development_number=None
    )
    assert_exact()
    assert OrganizationTally.objects.get(organization=b1).new_members == 1
    assert NumberRange.objects.get(pk=city_range.pk).used_count == 2
    first.developing_organization = b2
    first.development_number = 201955555555  # outside the city's range, inside the province's
    first.save()
    assert_exact()
    assert NumberRange.objects.get(pk=city_range.pk).used_count == 1
    assert OrganizationTally.objects.get(organization=b2).new_members == 2
    first.delete()
    assert_exact()


def test_register_entries_are_counted(tree):
    root, city, b1, b2, root_range, city_range = tree
    entry = UnusedNumberFactory(
        organization=city, number_range=city_range, first=201900000100, last=201900000109
    )
    assert NumberRange.objects.get(pk=city_range.pk).explained_count == 10
    entry.last = 201900000104
    entry.save()
    assert NumberRange.objects.get(pk=city_range.pk).explained_count == 5
    assert_exact()
    entry.delete()
    assert NumberRange.objects.get(pk=city_range.pk).explained_count == 0
    assert_exact()


def test_a_new_range_counts_the_members_already_inside(tree):
    root, city, b1, b2, root_range, city_range = tree
    new_member(b1, 201900020001, year=2019)
    county_range = NumberRangeFactory(organization=city, first=201900020000, last=201900020999)
    assert NumberRange.objects.get(pk=county_range.pk).used_count == 1
    assert_exact()


def test_bulk_creation_through_the_service(tree):
    root, city, b1, b2, root_range, city_range = tree
    people = [
        MemberFactory.build(
            branch=b1, developing_organization=b1, development_number=201900000200 + i
        )
        for i in range(5)
    ]
    for person in people:
        person.join_date = date(2019, 3, 1)
        person.birth_date = date(2003, 1, 1)
    services.member_bulk_create(members=people)
    assert OrganizationTally.objects.get(organization=b1).new_members == 5
    assert_exact()


def test_rebuild_repairs_counts_written_around_the_orm(tree):
    root, city, b1, b2, root_range, city_range = tree
    new_member(b1, 201900000300, year=2019)
    OrganizationTally.objects.all().delete()
    NumberRange.objects.update(used_count=0)
    call_command("rebuild_tallies", stdout=io.StringIO())
    assert_exact()


def test_the_check_names_a_range_whose_stored_counts_drifted(tree):
    """``rebuild_tallies --check`` compares the ranges' used and registered counts with a
    recount too, and a rebuild mends them."""
    root, city, b1, b2, root_range, city_range = tree
    new_member(b1, 201900000300, year=2019)
    NumberRange.objects.filter(pk=city_range.pk).update(used_count=7)
    assert [line for line in tallies.check_ranges() if line.startswith(f"range {city_range.pk}:")]
    with pytest.raises(CommandError):
        call_command("rebuild_tallies", "--check", stdout=io.StringIO())
    call_command("rebuild_tallies", stdout=io.StringIO())
    assert tallies.check_ranges() == []
    assert_exact()


def test_moves_follow_the_members_developing_organisation(tree):
    root, city, b1, b2, root_range, city_range = tree
    member = new_member(b1, 201900000400, year=2019)
    move = move_create(
        member=member, reason="employment", moved_on=date(2020, 1, 1), destination_organization=b2
    )
    assert move.developing_organization == b1
    member.developing_organization = b2
    member.save()
    assert Move.objects.get(pk=move.pk).developing_organization == b2


def test_counts_survive_tallies_being_recomputed_from_scratch(tree):
    root, city, b1, b2, root_range, city_range = tree
    for i in range(3):
        new_member(b2, 201900000500 + i, year=2019)
    before = (stored_organizations(), stored_ranges())
    tallies.tally_rebuild()
    assert (stored_organizations(), stored_ranges()) == before


def test_moving_an_organisation_moves_its_ranges_levels(tree):
    from branches.models import Organization
    from branches.services import organization_save

    root, city, b1, b2, root_range, city_range = tree
    county = committee(city, kind=Organization.Kind.COUNTY, code="K1")
    county_range = NumberRangeFactory(organization=county, first=201900020000, last=201900020999)
    assert NumberRange.objects.get(pk=county_range.pk).level == 3
    county = Organization.objects.get(pk=county.pk)
    organization_save(organization=county, parent=Organization.objects.get(pk=root.pk))
    assert NumberRange.objects.get(pk=county_range.pk).level == 2


def test_a_move_that_would_overlap_ranges_is_refused_with_a_message(tree):
    from django.core.exceptions import ValidationError
    from django.db import connection

    from branches.models import Organization
    from branches.services import organization_save

    if connection.vendor != "postgresql":
        pytest.skip("the overlap is refused by PostgreSQL's exclusion constraint")
    root, city, b1, b2, root_range, city_range = tree
    county = committee(city, kind=Organization.Kind.COUNTY, code="K1")
    NumberRangeFactory(organization=county, first=201900001000, last=201900001999)
    with pytest.raises(ValidationError):
        organization_save(
            organization=Organization.objects.get(pk=county.pk),
            parent=Organization.objects.get(pk=root.pk),
        )
    assert Organization.objects.get_parent(Organization.objects.get(pk=county.pk)).code == "C1"

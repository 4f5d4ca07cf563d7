"""The demo's numbering: ranges at every level around the members' scheme numbers."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from branches import demo as tree_demo
from branches.models import Organization
from members.models import IssuedNumber, Member, NumberRange, UnusedNumber
from members.models.number_rule import development_number_problem
from members.numbers import demo as demo_numbers
from members.numbers import ledger
from tests.factories import members_by_scheme, new_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """The demo tree with members numbered by the scheme, in 2017, 2018 and 2019."""
    tree_demo.build_tree()
    branches = list(
        Organization.objects.filter(kind__in=["branch", "class_branch"]).order_by("path")
    )
    plan = {
        2017: [(b, 2) for b in branches[::5]],
        2018: [(b, 1) for b in branches[1::4]],
        2019: [(b, 3) for b in branches[::3]],
    }
    members_by_scheme(plan)
    return plan


def test_every_developing_organisation_and_committee_above_holds_a_range(demo):
    assert demo_numbers.build_numbering(seed=1) == NumberRange.objects.count()
    for year, entries in demo.items():
        for branch, _count in entries:
            for node in [*Organization.objects.filter(path__in=branch.ancestor_paths()), branch]:
                held = NumberRange.objects.filter(organization=node).of_year([year])
                assert held.count() == 1, (year, node.code)


def test_ranges_nest_and_siblings_never_overlap(demo):
    demo_numbers.build_numbering(seed=1)
    for number_range in NumberRange.objects.select_related("organization"):
        number_range.full_clean()  # nesting and overlap checks of the model


def test_every_member_number_is_valid_against_the_ranges(demo):
    demo_numbers.build_numbering(seed=1)
    for member in Member.objects.select_related("developing_organization"):
        assert (
            development_number_problem(
                member.development_number,
                developing_organization=member.developing_organization,
                member_pk=member.pk,
            )
            is None
        )


def test_some_spares_are_registered_some_issued_and_some_unaccounted(demo):
    demo_numbers.build_numbering(seed=1)
    statuses = set(UnusedNumber.objects.values_list("status", flat=True))
    assert statuses == {"unused", "voided", "lost"}
    assert IssuedNumber.objects.exists()
    root = Organization.objects.get(depth=1)
    figures = ledger.ledger_for(root)
    assert figures["numbers_used"] == Member.objects.count()
    assert figures["numbers_explained"] > 0
    assert figures["numbers_unaccounted"] > 3 * demo_numbers.PROVINCE_RESERVE
    for entry in UnusedNumber.objects.select_related("number_range"):
        innermost = NumberRange.objects.containing(entry.first).order_by("-level").first()
        assert innermost == entry.number_range
        assert not Member.objects.filter(development_number__range=(entry.first, entry.last))


def test_numbers_off_the_scheme_are_reported(demo):
    """A member numbered inside another organisation's spares breaks the plan loudly."""
    last_branch = Organization.objects.filter(kind="branch").order_by("-path").first()
    new_member(last_branch, 201900010004)
    with pytest.raises(ValueError, match="scheme"):
        demo_numbers.build_numbering(seed=1)


@override_settings(DEBUG=True)
def test_seed_demo_builds_the_numbering_of_its_members():
    """seed_demo calls build_numbering after the members; its ranges pass every rule."""
    call_command("seed_demo", "--members", "50", stdout=io.StringIO())
    years = {
        number // 10**8
        for number in Member.objects.exclude(development_number=None).values_list(
            "development_number", flat=True
        )
    }
    assert {r.year for r in NumberRange.objects.all()} == {y for y in years if y >= 2017}
    for number_range in NumberRange.objects.all():
        number_range.full_clean()

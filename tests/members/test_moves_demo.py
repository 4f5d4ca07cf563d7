"""The demo's moves: some in every state among the demo members, nothing without members."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import override_settings

from branches import demo as tree_demo
from branches.models import Organization
from members.models import Member, Move
from members.moves.demo import build_moves
from tests import factories

pytestmark = pytest.mark.django_db


def test_build_moves_does_nothing_without_members():
    tree_demo.build_tree()
    assert build_moves() == []
    assert not Move.objects.exists()


@override_settings(DEBUG=True)
def test_seed_demo_creates_moves_once_members_exist():
    call_command("seed_demo", "--members", "60", stdout=io.StringIO())
    assert Organization.objects.exists()
    # Until the demo has members there is nobody to move, and seeding must still succeed.
    assert Move.objects.exists() is Member.objects.exists()


def test_build_moves_covers_every_state_among_graduates_and_workers():
    tree_demo.build_tree()
    graduating = Organization.objects.filter(
        kind=Organization.Kind.CLASS_BRANCH, graduation_date__isnull=False
    )[:6]
    for branch in graduating:
        for _ in range(3):
            factories.MemberFactory(branch=branch)
    for branch in Organization.objects.filter(code__in=["350102-E1-B1", "350104-E1-B2"]):
        for _ in range(4):
            factories.MemberFactory(branch=branch, identity="enterprise_employee")
    before = dict(Member.objects.values_list("pk", "branch_id"))
    created = build_moves(seed=7)
    assert len(created) == 21
    states = Counter(move.state for move in created)
    assert set(states) == set(Move.State.values)
    assert Move.objects.overdue().exists()
    kinds = {move.destination_kind for move in created}
    assert kinds == set(Move.DestinationKind.values)
    for move in created:
        member = Member.objects.get(pk=move.member_id)
        if move.state == Move.State.REPORTED:
            assert member.branch_id == move.received_branch_id != before[member.pk]
        else:
            assert member.branch_id == before[member.pk]
    reasons = {m.reason for m in created if m.from_branch.kind == Organization.Kind.BRANCH}
    assert reasons == {Move.Reason.EMPLOYMENT}

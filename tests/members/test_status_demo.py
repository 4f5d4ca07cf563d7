"""The demo's statuses: an exit of each kind, proposals waiting, a reversal, a retained
membership, members reaching 28 and one past 28 kept as a cadre."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from branches.models import Organization
from members.models import EXITS, Member, MemberStatus, StatusChange
from members.status.views import reaching_lists

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_seed_demo_holds_every_status_and_members_reaching_28():
    call_command("seed_demo", "--members", "300", stdout=io.StringIO())
    statuses = set(Member.objects.values_list("status", flat=True))
    assert set(EXITS) | {MemberStatus.RETAINED, MemberStatus.ACTIVE} == statuses
    assert StatusChange.objects.filter(state=StatusChange.State.PROPOSED).count() == 2
    assert StatusChange.objects.filter(
        status=MemberStatus.ACTIVE, previous_status=MemberStatus.WITHDRAWN
    ).exists()
    root = Organization.objects.get(depth=1)
    turning, past = reaching_lists(root, today=timezone.localdate(), days=90)
    assert past.filter(holds_post=True).count() == 1
    assert past.filter(holds_post=False).exists()
    assert turning.exists()

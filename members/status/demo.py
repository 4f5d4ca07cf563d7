"""Demo member statuses: exits of each kind, a retained membership, a reversal, a proposal
waiting for the committee above, and a member past 28 who keeps membership as a cadre.

Runs after the demo members and moves exist (an exit closes its member's open move); with no
members it does nothing. Members reaching 28 need no help: the demo's members joined from 2015
on, so some turn 28 every month. Written through :mod:`members.status.services`, as a person would.
"""

import random
from datetime import timedelta

from django.utils import timezone

from branches.models import Cadre, OrganizationAccess, Role
from branches.services import cadre_create
from members.models import Member, MemberStatus, age_limit_birth_date
from members.status import services as exits

#: (status, how many, whether the committee above has decided yet)
PLAN = [
    (MemberStatus.WITHDRAWN, 2, True),
    (MemberStatus.DECEASED, 1, True),
    (MemberStatus.STOPPED, 1, True),
    (MemberStatus.STOPPED, 1, False),
    (MemberStatus.EXPELLED, 1, True),
    (MemberStatus.EXPELLED, 1, False),
]
REASONS = {
    MemberStatus.WITHDRAWN: "本人书面申请退团，支部大会讨论同意",
    MemberStatus.DECEASED: "因病去世",
    MemberStatus.STOPPED: "连续6个月不交纳团费、不参加团的组织生活",
    MemberStatus.EXPELLED: "严重违犯团的纪律",
    MemberStatus.AGED_OUT: "年满28周岁，未担任团内职务",
    MemberStatus.RETAINED: "已成为中共预备党员，保留团籍",
}
AGED_OUT = 3


def _committee_user(branch):
    """The nearest committee login above ``branch`` (None when there is none)."""
    access = (
        OrganizationAccess.objects.filter(
            organization__path__in=branch.ancestor_paths(),
            role__in=[Role.COMMITTEE, Role.PROVINCE],
        )
        .exclude(organization=branch)
        .select_related("user")
        .order_by("-organization__depth")
        .first()
    )
    return access.user if access else None


def _secretary_user(branch):
    access = (
        OrganizationAccess.objects.filter(organization=branch, role=Role.SECRETARY)
        .select_related("user")
        .first()
    )
    return access.user if access else None


def build_statuses(seed=2019, today=None):
    """Record the demo's status changes; returns them."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    reached = age_limit_birth_date(today)
    members = list(Member.objects.select_related("branch").order_by("pk"))
    needed = sum(count for _status, count, _decided in PLAN) + 2
    if not members:
        return []
    past = [m for m in members if m.birth_date <= reached]
    young = [m for m in members if m.birth_date > age_limit_birth_date(today, 400)]
    rng.shuffle(past)
    rng.shuffle(young)
    changes = []
    if len(young) < needed or len(past) < AGED_OUT + 1:
        return changes  # too small a demo to show every kind

    def record(member, status, decided=True, days_ago=None):
        secretary = _secretary_user(member.branch)
        committee = _committee_user(member.branch)
        proposer = secretary or committee
        change = exits.member_exit_propose(
            member=member,
            status=status,
            effective_on=today - timedelta(days=days_ago or rng.randrange(3, 60)),
            reason=REASONS[status],
            user=proposer,
        )
        if change.state == change.State.PROPOSED and decided:
            change = exits.member_exit_approve(
                change=change, user=committee, note="经团委会研究，同意"
            )
        changes.append(change)
        return change

    for status, count, decided in PLAN:
        for _ in range(count):
            record(young.pop(), status, decided)
    for _ in range(AGED_OUT):
        record(past.pop(), MemberStatus.AGED_OUT, days_ago=1)
    record(young.pop(), MemberStatus.RETAINED)
    # 恢复团籍: one who had withdrawn is restored by the committee above
    restored = young.pop()
    record(restored, MemberStatus.WITHDRAWN, days_ago=90)
    changes.append(
        exits.member_exit_reverse(
            member=restored,
            reason="本人撤回退团申请，经团委会研究同意恢复团籍",
            user=_committee_user(restored.branch),
        )
    )
    # a member past 28 who holds a post keeps membership: listed apart on the 28 page
    cadre_member = past.pop()
    cadre_create(
        organization=cadre_member.branch,
        position=Cadre.Position.MEMBER,
        name=cadre_member.name,
        start_date=today - timedelta(days=400),
        nature=Cadre.Nature.PART_TIME,
        id_number=cadre_member.id_number,
        gender=cadre_member.gender,
        birth_date=cadre_member.birth_date,
        ethnicity="汉族",
        education="大学本科",
        phone=cadre_member.phone,
        political_status=Cadre.PoliticalStatus.LEAGUE_MEMBER,
        term="第一届",
        term_end=today + timedelta(days=700),
    )
    return changes

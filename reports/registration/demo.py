"""The demo's registration year in progress: this year's 团籍注册 and 团员教育评议.

The university forwards it with an earlier internal deadline that has passed. About half the
branches are certified, a few await certification, one of the university's branches submitted
after the university's deadline (late) while its others have not started, the enterprise secretary's branch was returned with a
reason, and the rest (the class secretary's branch among them) have not started.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from branches.models import Organization
from members.models import BRANCH_KINDS, Member, MemberStatus
from reports.models import (
    Campaign,
    CampaignForward,
    CampaignKind,
    EvaluationGrade,
    RegistrationResult,
)
from reports.registration import services

#: the branch the demo returns (the second secretary's) and the one left for the first
RETURNED_BRANCH = "350102-E1-B1"
UNTOUCHED_BRANCH = "XMU-INF-C1"
RETURN_REASON = "评议结果未附支部大会记录，暂缓注册的团员请补充具体原因。"
DEFER_REASONS = ["无正当理由连续6个月未参加团的组织生活", "连续6个月未交纳团费"]
REFUSE_REASONS = ["无正当理由连续12个月不参加团的组织生活、不交纳团费、不做团组织分配的工作"]


def _entries(branch, rng):
    """Mostly 注册 and 合格; a few excellent, basically qualified, deferred or refused."""
    entries = []
    for member in services.members_to_register(branch):
        roll = rng.random()
        entry = {
            "member": member,
            "result": RegistrationResult.REGISTERED,
            "reason": "",
            "grade": EvaluationGrade.QUALIFIED,
        }
        if roll < 0.03:
            entry.update(
                result=RegistrationResult.REFUSED,
                reason=rng.choice(REFUSE_REASONS),
                grade=EvaluationGrade.UNQUALIFIED,
            )
        elif roll < 0.08:
            entry.update(
                result=RegistrationResult.DEFERRED,
                reason=rng.choice(DEFER_REASONS),
                grade=EvaluationGrade.BASIC,
            )
        elif roll < 0.25:
            entry["grade"] = EvaluationGrade.EXCELLENT
        entries.append(entry)
    return entries


def build_registration_year(seed=2019, today=None):
    """Create this year's registration year and the branches' progress in it."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    user = get_user_model().objects.get(username="province")
    year = Campaign.objects.create(
        slug=f"{today.year}-registration",
        name="团籍注册和团员教育评议",
        kind=CampaignKind.REGISTRATION,
        year=today.year,
        deadline=today + timedelta(days=20),
        metric="registration_ratio",
        threshold=Decimal("0.90"),
        description="各团支部为在团团员办理团籍注册、开展团员教育评议，上级团委审核。",
    )
    university = Organization.objects.filter(code="XMU").first()
    if university is not None:
        CampaignForward.objects.create(
            campaign=year,
            organization=university,
            internal_deadline=today - timedelta(days=2),
            contact_person="王心君",
            contact_phone="2182276",
            instructions="各院团委督促所属团支部按时完成团籍注册和教育评议。",
            forwarded_by=user,
        )
    with_members = Member.objects.filter(status=MemberStatus.ACTIVE).values("branch")
    branches = list(
        Organization.objects.current().filter(kind__in=BRANCH_KINDS, pk__in=with_members)
    )
    late = next(
        (
            b
            for b in branches
            if university and b.path.startswith(university.path) and b.code != UNTOUCHED_BRANCH
        ),
        None,
    )

    # The second secretary's branch, or (in a small demo where it has no members) another.
    def in_university(branch):
        return university is not None and branch.path.startswith(university.path)

    returned = next((b for b in branches if b.code == RETURNED_BRANCH), None) or next(
        (b for b in reversed(branches) if not in_university(b)), None
    )
    for index, branch in enumerate(branches):
        if branch.code == UNTOUCHED_BRANCH:
            continue
        special = branch in (late, returned)
        share = index % 10
        if not special and (share >= 6 or in_university(branch)):
            continue  # not started (the university's others: overdue on its deadline)
        services.registrations_save(
            campaign=year, branch=branch, user=user, entries=_entries(branch, rng)
        )
        submitted = services.branch_registration_submit(campaign=year, branch=branch, user=user)
        if branch == returned:
            services.branch_registration_return(
                registration=submitted, user=user, reason=RETURN_REASON
            )
        elif not special and share < 5:
            services.branch_registration_certify(registration=submitted, user=user)
    return year

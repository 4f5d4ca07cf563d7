"""Demo moves: graduates of class branches and workers moving out, in every state.

Runs after the demo members exist; with no members it does nothing. Destinations are enterprise
branches of the demo tree (so that the Xiamen and Fuzhou committees find members to confirm in
their inbox), townships outside the system by their county code, and other provinces.
"""

import random
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from branches.models import Organization
from members.models import Member, Move
from members.models.moves import expiry_days
from members.moves import services as moves
from members.moves import transfers

Kind = Organization.Kind
Reason = Move.Reason

GRADUATES = 14
WORKERS = 7
TOWNSHIPS = [
    ("350128", "潭城镇"),
    ("350322", "榜头镇"),
    ("350583", "水头镇"),
    ("350823", "临城镇"),
    ("441900", "长安镇"),
]
#: graduates mostly find work in the two big cities, whose committees then confirm them
DESTINATION_CITIES = ["350100", "350200"]
OTHER_PROVINCES = ["广东省深圳市南山区团委", "浙江省杭州市西湖区团委", "上海市浦东新区团委"]
GRADUATE_REASONS = [Reason.EMPLOYMENT, Reason.FURTHER_STUDY, Reason.AWAITING_EMPLOYMENT]
#: (state to reach, days since the move) in turn; the 50-day ones are overdue at 30 days
PLAN = [
    ("moved", 5),
    ("moved", 50),
    ("contacted", 12),
    ("reported", 25),
    ("contacted", 45),
    ("closed", 90),
    ("reported", 60),
    ("refused", 20),
    ("withdrawn", 8),
    ("expired", 120),
]
#: states that need a destination in the system, whose side answers
ANSWERED_IN_SYSTEM = ("reported", "refused", "expired")


def _destination(index, rng, member, branches):
    """Some moves go to townships outside the system, a few to other provinces."""
    if index % 7 == 1:
        return {"destination_other_province": rng.choice(OTHER_PROVINCES)}
    if index % 3 == 2:
        code, township = rng.choice(TOWNSHIPS)
        return {"destination_county_code": code, "destination_township": township}
    choices = [b for b in branches if b.pk != member.branch_id]
    return {"destination_organization": rng.choice(choices)}


def build_moves(seed=2019, today=None):
    """Create the demo moves; returns them (none when there are no members yet)."""
    members = list(
        Member.objects.filter(
            branch__kind=Kind.CLASS_BRANCH, branch__graduation_date__isnull=False
        ).order_by("pk")[:GRADUATES]
    ) + list(
        Member.objects.filter(
            branch__kind=Kind.BRANCH, branch__sector=Organization.Sector.ENTERPRISE
        ).order_by("pk")[:WORKERS]
    )
    enterprise = Organization.objects.filter(
        kind=Kind.BRANCH, sector=Organization.Sector.ENTERPRISE
    ).order_by("path")
    cities = Organization.objects.filter(code__in=DESTINATION_CITIES).values_list("path", flat=True)
    near = Q()
    for path in cities:
        near |= Q(path__startswith=path)
    branches = list(enterprise.filter(near)) if cities else []
    if len(branches) < 2:
        branches = list(enterprise)
    if not members or len(branches) < 2:
        return []
    rng = random.Random(seed)
    today = today or timezone.localdate()
    created = []
    for index, member in enumerate(members):
        state, days = PLAN[index % len(PLAN)]
        destination = _destination(index, rng, member, branches)
        if state in ANSWERED_IN_SYSTEM and "destination_organization" not in destination:
            destination = _destination(0, rng, member, branches)
        is_graduate = member.branch.kind == Kind.CLASS_BRANCH
        move = moves.move_create(
            member=member,
            reason=rng.choice(GRADUATE_REASONS) if is_graduate else Reason.EMPLOYMENT,
            moved_on=max(today - timedelta(days=days), member.join_date),
            note="毕业去向" if is_graduate else "工作调动",
            **destination,
        )
        if state in ("contacted", "reported", "closed"):
            move = moves.move_record_contact(
                move=move, user=None, note=rng.choice(["已电话联系，答应尽快报到", "已微信联系"])
            )
        if state == "reported":
            move = moves.move_confirm_report(move=move, user=None)
        elif state == "closed":
            move = moves.move_close(move=move, user=None, reason=Move.CloseReason.LOST_CONTACT)
        elif state == "refused":
            move = transfers.move_refuse(
                move=move, user=None, reason=Move.RefusalReason.NOT_FOUND, note="本支部查无此人"
            )
        elif state == "withdrawn":
            move = transfers.move_withdraw(move=move, user=None, note="去向登记有误")
        elif state == "expired":
            Move.objects.filter(pk=move.pk).update(
                sent_on=today - timedelta(days=max(days, expiry_days()))
            )
            transfers.moves_expire(today=today)
            move = Move.objects.get(pk=move.pk)
        created.append(move)
    return created

"""Figure roll-ups: equal to a full recount after every kind of write, at every level and at
any date; flat to read; checked and rebuilt by ``rebuild_tallies``."""

import io
import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from branches.models import Organization
from branches.services import organization_merge, organization_save, organization_set_graduation
from members.models import Member, MemberStatus, Move
from members.moves import services as moves
from members.services import member_bulk_create
from members.status.services import member_exit_propose
from reports.metrics import children_and_total
from reports.metrics.base import groups
from reports.models import Campaign, FigureRollup
from reports.rollups import maintain
from tests import factories

pytestmark = pytest.mark.django_db


def _nonzero(counted):
    return {
        path: {name: value for name, value in row.items() if value}
        for path, row in counted.items()
        if any(row.values())
    }


def disagreements():
    """Every rolled-up group read from the roll-ups against its full recount, for every
    organisation, at its own depth and at its children's."""
    wrong = []
    for campaign in [None, *Campaign.objects.all()]:
        for group in groups(campaign):
            if not group.rolled_up:
                continue
            for organization in Organization.objects.filter(numchild__gt=0):
                for depth in (organization.depth, organization.depth + 1):
                    stored = _nonzero(group.counts(organization, depth, campaign))
                    counted = _nonzero(group.recount(organization, depth, campaign))
                    if stored != counted:
                        wrong.append((type(group).__name__, organization.code, depth))
    return wrong


@pytest.fixture
def tree(db):
    """P > C0..C2 > two counties each > two branches each (one a class branch), with members."""
    root = factories.province(code="P")
    branches = []
    for c in range(3):
        city = factories.committee(root, code=f"C{c}")
        for k in range(2):
            county = factories.committee(city, kind=Organization.Kind.COUNTY, code=f"K{c}{k}")
            branches.append(factories.branch(county, code=f"B{c}{k}"))
            branches.append(factories.class_branch(county, code=f"S{c}{k}"))
    for index, leaf in enumerate(branches):
        factories.MemberFactory(branch=leaf, developing_organization=branches[index - 1])
    factories.CadreFactory(organization=branches[0])
    return root


def test_writes_of_every_kind_keep_the_roll_ups_equal_to_a_full_recount(tree):
    """Random member creations, changes, deletions, bulk imports, status changes, moves,
    graduation dates, cadres, subtree moves and merges: after each, the stored roll-ups equal a
    full recount, and every dashboard read equals its live count at every level."""
    rng = random.Random(19)
    today = timezone.localdate()

    def leaves():
        return list(Organization.objects.filter(kind__in=["branch", "class_branch"]).current())

    def members():
        return list(Member.objects.order_by("pk"))

    def create():
        factories.MemberFactory(
            branch=rng.choice(leaves()), developing_organization=rng.choice(leaves())
        )

    def change():
        member = rng.choice(members())
        member.branch = rng.choice(leaves())
        member.save()

    def delete():
        rng.choice(members()).delete()

    def bulk():
        target = rng.choice(leaves())
        built = [factories.MemberFactory.build(branch=target) for _ in range(3)]
        member_bulk_create(members=built)

    def status():
        member = rng.choice(list(Member.objects.in_league()))
        member_exit_propose(
            member=member, status=MemberStatus.WITHDRAWN, effective_on=today, reason="本人申请"
        )

    def move():
        member = rng.choice(list(Member.objects.in_league()))
        made = moves.move_create(
            member=member,
            reason=Move.Reason.EMPLOYMENT,
            moved_on=today - timedelta(days=rng.choice([1, 40, 200])),
            destination_organization=rng.choice(leaves()),
        )
        if rng.random() < 0.5:
            moves.move_confirm_report(move=made, user=None)

    def graduation():
        classes = [o for o in leaves() if o.kind == Organization.Kind.CLASS_BRANCH]
        organization_set_graduation(
            organizations=[rng.choice(classes)], graduation_date=date(2027, 7, 1)
        )

    def cadre():
        factories.CadreFactory(organization=rng.choice(leaves()), position="member")

    def move_subtree():
        county = rng.choice(list(Organization.objects.filter(kind=Organization.Kind.COUNTY)))
        city = rng.choice(list(Organization.objects.filter(kind=Organization.Kind.CITY)))
        organization_save(organization=county, parent=city)

    def merge():
        source, target = rng.sample([o for o in leaves() if o.kind == Organization.Kind.BRANCH], 2)
        organization_merge(organization=source, into=target, on=today)

    steps = [create, change, delete, bulk, status, move, graduation, cadre, move_subtree, merge]
    done = set()
    for _ in range(40):
        step = rng.choice(steps)
        try:
            step()
        except ValidationError:
            continue  # a write the rules refuse changes nothing
        done.add(step.__name__)
        assert maintain.differences() == [], step.__name__
    assert done == {step.__name__ for step in steps}
    assert disagreements() == []


def test_time_dependent_figures_are_exact_at_any_date(tree, monkeypatch):
    """Overdue moves and members reaching 28 are counted at each read: shifting today moves
    them exactly as the recount does."""
    member = Member.objects.first()
    moves.move_create(
        member=member,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate() - timedelta(days=5),
        destination_organization=Organization.objects.get(code="B10"),
    )
    root = Organization.objects.get(code="P")
    seen = set()
    for shift in (0, 400, 4000, 10000):
        shifted = timezone.localdate() + timedelta(days=shift)
        monkeypatch.setattr(timezone, "localdate", lambda *args, _day=shifted, **kwargs: _day)
        _rows, total = children_and_total(root)
        seen.add((total["moved_overdue"], total["members_reaching_28"]))
        assert disagreements() == []
    assert len(seen) > 1


def test_the_check_reports_a_broken_roll_up_and_the_rebuild_mends_it(tree):
    out = io.StringIO()
    call_command("rebuild_tallies", "--check", stdout=out)
    assert "agree" in out.getvalue() or "一致" in out.getvalue()

    city = Organization.objects.get(code="C1")
    FigureRollup.objects.filter(organization=city, figure="members_in_league").update(subtree=12345)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("rebuild_tallies", "--check", stdout=out)
    assert "C1 members_in_league" in out.getvalue()
    assert maintain.differences() != []

    call_command("rebuild_tallies", stdout=io.StringIO())
    assert maintain.differences() == []
    call_command("rebuild_tallies", "--check", stdout=io.StringIO())


def test_the_rebuild_gives_the_rows_the_writes_kept(tree):
    kept = set(
        FigureRollup.objects.exclude(own=0, subtree=0).values_list(
            "organization_id", "figure", "period", "own", "subtree"
        )
    )
    maintain.rebuild()
    assert kept == set(
        FigureRollup.objects.values_list("organization_id", "figure", "period", "own", "subtree")
    )


def test_registration_figures_are_kept_per_registration_year(db):
    """Each registration campaign keeps its own rows (period = the campaign)."""
    from reports.models import CampaignKind

    root = factories.province(code="P")
    leaf = factories.branch(factories.committee(root, code="C"))
    factories.MemberFactory(branch=leaf)
    first = Campaign.objects.create(
        slug="r1",
        name="注册1",
        year=2024,
        deadline=date(2024, 12, 1),
        kind=CampaignKind.REGISTRATION,
    )
    maintain.rebuild()
    assert (
        FigureRollup.objects.filter(period=str(first.pk), figure="registration_members").count()
        == 3
    )
    assert disagreements() == []


def test_the_dashboard_costs_the_same_queries_for_3_and_300_children(client):
    """Read from the roll-ups: one row per child and figure, whatever the children's number."""
    from http import HTTPStatus

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from branches.models import Role

    Campaign.objects.create(
        slug="grad",
        name="毕业时间填写",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=10),
        metric="graduation_fill_ratio",
        threshold="0.5",
    )

    def queries_for(children):
        with maintain.paused():
            root = factories.province(code=f"R{children}")
            user = factories.user_with_role(root, Role.PROVINCE, username=f"p{children}")
            for index in range(children):
                city = factories.committee(root, code=f"R{children}-{index}")
                factories.MemberFactory(branch=factories.branch(city))
                factories.class_branch(city)
        maintain.rebuild()
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dashboard"), {"org": root.code})
        assert response.status_code == HTTPStatus.OK
        assert len(response.context["board"].rows) == children
        assert response.context["board"].total["members_in_league"] == children
        return len(
            [
                q
                for q in queries.captured_queries
                if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
            ]
        )

    # Pinned, besides flat: a new read on the page shows here.
    assert queries_for(3) == queries_for(300) == 25


def test_members_reaching_28_follow_the_anchor_the_daily_run_moves(tree, monkeypatch):
    """Kept for an anchor date, plus the births between it and today's cut-off counted at each
    read; the daily run moves the anchor once it lags, and the figures stay exact."""
    from reports.metrics.status import cutoff

    old = Member.objects.first()
    old.birth_date = cutoff() - timedelta(days=3)
    old.save()

    def anchored():
        return set(
            FigureRollup.objects.filter(figure="members_reaching_28").values_list(
                "period", flat=True
            )
        )

    assert anchored() == {cutoff().isoformat()}
    later = timezone.localdate() + timedelta(days=30)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert disagreements() == []
    assert maintain.advance_anchors() != []
    assert anchored() == {cutoff().isoformat()}
    assert maintain.differences() == []
    assert maintain.advance_anchors() == []


def test_a_member_taking_a_cadre_post_stops_counting_as_reaching_28(tree):
    from reports.metrics.status import cutoff

    member = Member.objects.first()
    member.birth_date = cutoff() - timedelta(days=3)
    member.save()
    root = Organization.objects.get(code="P")
    assert children_and_total(root)[1]["members_reaching_28"] == 1
    factories.CadreFactory(
        organization=member.branch, position="member", id_number=member.id_number
    )
    assert children_and_total(root)[1]["members_reaching_28"] == 0
    assert maintain.differences() == []

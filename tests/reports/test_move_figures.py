"""moved_pending, moved_reported and moved_overdue, counted by the developing organisation."""

import io
import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Move
from members.moves import services as moves
from reports.metrics import figures_for, figures_for_children
from reports.metrics.moves import MoveFigures
from tests import factories
from tests.members.moves.conftest import build_scene

pytestmark = pytest.mark.django_db

NAMES = ("moved_pending", "moved_reported", "moved_overdue")


def figures(organization):
    values = figures_for(organization)
    return tuple(values[name] for name in NAMES)


def compliance(*args):
    out = io.StringIO()
    call_command("compliance", "--json", *args, stdout=out)
    return {row["code"]: row for row in json.loads(out.getvalue())}


def test_figures_count_a_scripted_move_at_each_step(small_province):
    scene = build_scene(small_province)
    p = small_province
    levels = (p.province, p.city, p.county, p.branch)
    assert all(figures(org) == (0, 0, 0) for org in levels)

    move = moves.move_create(
        member=scene.member,
        reason=Move.Reason.FURTHER_STUDY,
        moved_on=timezone.localdate() - timedelta(days=5),
        destination_organization=scene.destination,
        user=scene.developing_user,
    )
    assert all(figures(org) == (1, 0, 0) for org in levels)
    # Counted where the member was developed, not where they are going.
    assert figures(p.other_city) == (0, 0, 0)
    assert compliance()["C1"]["moved_pending"] == 1

    moves.move_record_contact(move=move, user=scene.developing_user, note="已联系")
    assert all(figures(org) == (1, 0, 0) for org in levels)

    moves.move_confirm_report(move=move, user=scene.receiving_user)
    assert all(figures(org) == (0, 1, 0) for org in levels)
    assert figures(p.other_city) == (0, 0, 0)
    rows = compliance("--org", "C1")
    assert rows["C1-K1"]["moved_reported"] == 1
    assert rows["C1-K1"]["moved_pending"] == 0


def test_overdue_and_closed_moves(small_province, settings):
    settings.YOUTHLEAGUE = {**settings.YOUTHLEAGUE, "MOVE_OVERDUE_DAYS": 30}
    p = small_province
    today = timezone.localdate()
    for days, branch in ((31, p.branch), (30, p.branch), (45, p.other_branch)):
        moves.move_create(
            member=factories.MemberFactory(branch=branch),
            reason=Move.Reason.EMPLOYMENT,
            moved_on=today - timedelta(days=days),
            destination_county_code="350128",
            destination_township="潭城镇",
        )
    closed = moves.move_create(
        member=factories.MemberFactory(branch=p.branch),
        reason=Move.Reason.ABROAD,
        moved_on=today - timedelta(days=90),
        destination_other_province="香港",
    )
    moves.move_close(move=closed, user=None, reason=Move.CloseReason.SETTLED_ABROAD)
    assert figures(p.county) == (3, 0, 2)
    children = {org.code: values for org, values in figures_for_children(p.county)}
    assert (children["C1-K1-B1"]["moved_pending"], children["C1-K1-B1"]["moved_overdue"]) == (2, 1)
    assert (children["C1-K1-B2"]["moved_pending"], children["C1-K1-B2"]["moved_overdue"]) == (1, 1)
    settings.YOUTHLEAGUE = {**settings.YOUTHLEAGUE, "MOVE_OVERDUE_DAYS": 60}
    assert figures(p.county) == (3, 0, 0)


def test_one_grouped_query_per_level_whatever_the_number_of_moves(small_province):
    p = small_province

    def queries_with(count):
        for _ in range(count):
            moves.move_create(
                member=factories.MemberFactory(branch=p.branch),
                reason=Move.Reason.EMPLOYMENT,
                moved_on=timezone.localdate(),
                destination_organization=p.foreign_branch,
            )
        with CaptureQueriesContext(connection) as queries:
            counted = MoveFigures().counts(p.province, 2)
        assert counted[p.city.path]["moved_pending"] == Move.objects.count()
        return len(queries.captured_queries)

    # One read of the stored counts (one row per organisation and figure), one count of the
    # overdue moves, which depend on today.
    assert queries_with(1) == queries_with(20) == 2


def test_dashboard_shows_the_move_columns(client, small_province):
    scene = build_scene(small_province)
    moves.move_create(
        member=scene.member,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate(),
        destination_organization=scene.destination,
    )
    client.force_login(small_province.province_user)
    # The move columns are a figure group of their own, shown when chosen.
    response = client.get(reverse("dashboard"), {"groups": "moves"})
    assert response.status_code == HTTPStatus.OK
    names = [f.name for f in response.context["board"].figures]
    assert set(NAMES) <= set(names)
    rows = {row.organization.code: row for row in response.context["board"].rows}
    assert rows["C1"].figures["moved_pending"] == 1
    assert response.context["board"].total["moved_pending"] == 1


def test_snapshots_freeze_the_move_figures(small_province):
    from reports.models import Campaign
    from reports.snapshots import snapshot_take

    scene = build_scene(small_province)
    moves.move_create(
        member=scene.member,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate(),
        destination_organization=scene.destination,
    )
    campaign = Campaign.objects.create(
        slug="moves", name="流动团员报到", year=2019, deadline=timezone.localdate()
    )
    snapshot = snapshot_take(campaign=campaign)
    frozen = snapshot.figures.get(organization=small_province.city).figures
    assert frozen["moved_pending"] == 1
    assert frozen["moved_reported"] == 0

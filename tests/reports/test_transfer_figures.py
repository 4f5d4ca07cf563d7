"""Transfer figures by level: sent, confirmed, refused, expired and the median days to confirm,
on known answers, with a bounded number of queries, in `compliance --json` and the dashboard."""

import io
import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members.models import Move
from members.moves import services as moves
from members.moves import transfers
from reports.metrics import children_and_total, figures_for, figures_for_children
from reports.metrics.transfers import TransferFigures
from tests import factories
from tests.members.moves.conftest import build_scene

pytestmark = pytest.mark.django_db

NAMES = (
    "transfers_sent",
    "transfers_confirmed",
    "transfers_refused",
    "transfers_expired",
    "transfers_median_days",
)


def _send(scene, branch, destination, **extra):
    return moves.move_create(
        member=factories.MemberFactory(branch=branch),
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate() - timedelta(days=200),
        destination_organization=destination,
        **extra,
    )


def _confirmed_after(scene, branch, destination, days):
    move = _send(scene, branch, destination)
    Move.objects.filter(pk=move.pk).update(sent_on=timezone.localdate() - timedelta(days=days))
    return moves.move_confirm_report(move=move, user=None)


@pytest.fixture
def known(small_province):
    """B1 sent 3 (confirmed after 4 and 10 days, one refused); B2 sent 2 (one confirmed after 6
    days, one expired) and one outside the system; 乙市 sent 1, confirmed after 1 day."""
    p = small_province
    scene = build_scene(p)
    _confirmed_after(scene, p.branch, p.foreign_branch, 4)
    _confirmed_after(scene, p.branch, p.foreign_branch, 10)
    transfers.move_refuse(
        move=_send(scene, p.branch, p.foreign_branch),
        user=None,
        reason=Move.RefusalReason.NOT_FOUND,
    )
    _confirmed_after(scene, p.other_branch, p.foreign_branch, 6)
    expiring = _send(scene, p.other_branch, p.foreign_branch)
    Move.objects.filter(pk=expiring.pk).update(sent_on=timezone.localdate() - timedelta(days=90))
    assert transfers.moves_expire() == 1
    moves.move_create(
        member=factories.MemberFactory(branch=p.other_branch),
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate(),
        destination_county_code="350128",
        destination_township="潭城镇",
    )
    _confirmed_after(scene, p.foreign_branch, p.branch, 1)
    return p


def values(figures):
    return tuple(figures[name] for name in NAMES)


def test_figures_at_the_city_level(known):
    rows = {child.code: values(f) for child, f in figures_for_children(known.province)}
    assert rows["C1"] == (5, 3, 1, 1, 6)
    assert rows["C2"] == (1, 1, 0, 0, 1)
    assert rows["C3"] == (0, 0, 0, 0, None)


def test_figures_at_the_branch_level_with_an_even_median(known):
    rows = {child.code: values(f) for child, f in figures_for_children(known.county)}
    assert rows["C1-K1-B1"] == (3, 2, 1, 0, 7)  # median of 4 and 10
    assert rows["C1-K1-B2"] == (2, 1, 0, 1, 6)


def test_the_total_is_the_parents_own_median_not_a_sum(known):
    _children, total = children_and_total(known.province)
    assert values(total) == (6, 4, 1, 1, 5)  # median of 1, 4, 6, 10
    assert values(figures_for(known.city)) == (5, 3, 1, 1, 6)


def test_each_level_takes_two_queries_whatever_the_number_of_organisations(
    known, django_assert_num_queries
):
    for root, depth in ((known.province, 2), (known.province, 4), (known.city, 4)):
        with django_assert_num_queries(2):
            TransferFigures().counts(root, depth)


def test_figures_in_compliance_json_and_on_the_dashboard(known, client):
    out = io.StringIO()
    call_command("compliance", "--json", stdout=out)
    rows = {row["code"]: row for row in json.loads(out.getvalue())}
    assert rows["C1"]["transfers_sent"] == 5
    assert rows["C1"]["transfers_median_days"] == 6
    assert rows["C3"]["transfers_median_days"] is None
    client.force_login(known.province_user)
    # The transfer figures are a column group of the dashboard's chooser.
    page = client.get(reverse("dashboard"), {"groups": "transfers"})
    assert page.status_code == HTTPStatus.OK
    assert "确认用时中位数" in page.content.decode()


def test_figures_on_the_moves_page(known, client):
    client.force_login(known.city_user)
    page = client.get(reverse("moves:follow_up"), {"org": "C1"})
    shown = {figure.name: value for figure, value in page.context["transfer_figures"]}
    assert shown == {
        "transfers_sent": 5,
        "transfers_confirmed": 3,
        "transfers_refused": 1,
        "transfers_expired": 1,
        "transfers_median_days": 6,
    }
    assert "确认用时中位数（天）" in page.content.decode()

"""Closed and merged organisations leave the live figures but stay in past snapshots."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from branches.services import organization_close, organization_merge
from reports.metrics import children_and_total, figures_for, figures_for_children
from reports.models import Campaign, SnapshotFigure
from reports.snapshots import snapshot_take

pytestmark = pytest.mark.django_db

ON = date(2019, 7, 10)


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        slug="grad",
        name="毕业时间填写",
        year=2019,
        deadline=date(2019, 5, 30),
        metric="graduation_fill_ratio",
        threshold=Decimal("0.5"),
    )


def _frozen(snapshot, organization):
    return SnapshotFigure.objects.get(snapshot=snapshot, organization=organization).figures


def test_a_closed_class_branch_leaves_live_figures_but_not_the_old_snapshot(
    scripted_province, campaign
):
    """Closing the class branch without a date lifts the school's live fill ratio from 1/2 to
    1/1 and drops it from the rows and the cadre count; the snapshot taken before still holds
    it and the old ratio; a new snapshot no longer lists it."""
    p = scripted_province
    before = snapshot_take(campaign=campaign, taken_on=date(2019, 5, 22))
    assert figures_for(p.s1)["graduation_fill_ratio"] == 0.5
    cadre_count = figures_for(p.s1)["cadre_organizations"]

    organization_close(organization=p.cb2, on=ON, reason="并班")

    live = figures_for(p.s1)
    assert live["graduation_fill_ratio"] == 1.0
    assert live["class_branches_without_date"] == 0
    assert live["cadre_organizations"] == cadre_count - 1
    assert p.cb2 not in [child for child, _ in figures_for_children(p.s1)]
    rows, total = children_and_total(p.s1)
    assert p.cb2 not in [child for child, _ in rows]
    assert total["graduation_fill_ratio"] == 1.0
    assert _frozen(before, p.cb2)["class_branches_without_date"] == 1
    assert _frozen(before, p.s1)["graduation_fill_ratio"] == 0.5
    assert _frozen(before, p.c1)["graduation_fill_ratio"] == 0.5
    after = snapshot_take(campaign=campaign)
    assert not SnapshotFigure.objects.filter(snapshot=after, organization=p.cb2).exists()


def test_a_merge_keeps_past_snapshots_and_the_developed_count(scripted_province, campaign):
    """B2 (one new member) merges into B1 (three): live, B1 counts four and the county still
    four; the snapshot taken before still says three and one."""
    p = scripted_province
    call_command("snapshot_campaign", "grad", "--date", "2019-05-22", stdout=io.StringIO())
    before = campaign.snapshots.get()

    organization_merge(organization=p.b2, into=p.b1, on=ON, reason="合并")

    assert figures_for(p.b1)["new_members"] == 4
    assert figures_for(p.k1)["new_members"] == 4
    rows, total = children_and_total(p.k1)
    assert [child.code for child, _ in rows] == ["B1"]
    assert total["new_members"] == 4
    assert _frozen(before, p.b1)["new_members"] == 3
    assert _frozen(before, p.b2)["new_members"] == 1
    assert _frozen(before, p.k1)["new_members"] == 4

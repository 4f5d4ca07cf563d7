"""Snapshots freeze every organisation's figures; deadlines take them automatically."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from branches.models import Organization, Role
from reports.models import Campaign, Snapshot, SnapshotFigure
from reports.snapshots import due_campaigns, snapshot_due
from reports.tasks import schedule_deadline_snapshot
from tests import factories

pytestmark = pytest.mark.django_db


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


def test_snapshot_command_freezes_every_organisation(scripted_province, campaign):
    call_command("snapshot_campaign", "grad", "--date", "2019-05-22", stdout=io.StringIO())
    snapshot = Snapshot.objects.get()
    assert snapshot.taken_on == date(2019, 5, 22)
    assert SnapshotFigure.objects.filter(snapshot=snapshot).count() == Organization.objects.count()
    c1 = SnapshotFigure.objects.get(snapshot=snapshot, organization=scripted_province.c1)
    assert c1.figures["new_members"] == 6
    assert c1.figures["graduation_fill_ratio"] == 0.5
    k1 = SnapshotFigure.objects.get(snapshot=snapshot, organization=scripted_province.k1)
    assert k1.figures["new_members"] == 4


def test_dashboard_shows_progress_since_the_snapshot(client, scripted_province, campaign):
    call_command("snapshot_campaign", "grad", stdout=io.StringIO())
    cb2 = scripted_province.cb2
    cb2.graduation_date = date(2019, 6, 30)
    cb2.save()
    client.force_login(factories.user_with_role(scripted_province.root, Role.PROVINCE))
    board = client.get(reverse("dashboard"), {"campaign": "grad"}).context["board"]
    c1 = next(r for r in board.rows if r.organization.code == "C1")
    assert c1.previous == 0.5
    assert c1.value == 1.0
    assert c1.change == 0.5
    assert board.snapshot is not None


def test_due_snapshots_are_taken_once(scripted_province, campaign):
    assert list(due_campaigns()) == [campaign]
    (snapshot,) = snapshot_due()
    assert snapshot.automatic and snapshot.taken_on == campaign.deadline
    assert snapshot_due() == []


def test_future_campaign_is_not_due(db):
    Campaign.objects.create(
        slug="later",
        name="x",
        year=2030,
        deadline=timezone.localdate() + timedelta(days=3),
        metric="graduation_fill_ratio",
        threshold=Decimal("0.5"),
    )
    assert list(due_campaigns()) == []


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_saving_a_campaign_schedules_the_deadline_snapshot(campaign):
    from django_tasks import default_task_backend

    result = schedule_deadline_snapshot(campaign)
    assert result is not None
    assert timezone.localtime(result.task.run_after).date() == campaign.deadline
    assert default_task_backend.results == [result]


def test_deadline_task_takes_the_automatic_snapshot(scripted_province, campaign):
    from reports.tasks import snapshot_at_deadline

    result = snapshot_at_deadline.enqueue(campaign.pk)
    assert Snapshot.objects.get(pk=result.return_value).automatic
    assert snapshot_at_deadline.enqueue(campaign.pk).return_value is None


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_the_demos_campaigns_get_their_deadline_snapshots_as_the_admins_do():
    from django_tasks import default_task_backend

    from reports.demo import build_campaigns

    campaigns = build_campaigns()
    scheduled = sorted(result.args[0] for result in default_task_backend.results)
    assert campaigns and scheduled == sorted(campaign.pk for campaign in campaigns)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_campaign_save_schedules_again_only_when_the_deadline_moves(campaign):
    from django_tasks import default_task_backend

    from reports.services import campaign_save

    campaign.name = "renamed"
    campaign_save(campaign=campaign)
    assert default_task_backend.results == []
    campaign.deadline += timedelta(days=1)
    campaign_save(campaign=campaign)
    assert [result.args[0] for result in default_task_backend.results] == [campaign.pk]

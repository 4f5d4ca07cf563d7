"""Freezing every organisation's figures for a campaign, on demand or at its deadline."""

import datetime
import logging

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from branches.models import Organization
from reports.metrics import compute_level
from reports.models import Campaign, Snapshot, SnapshotFigure

logger = logging.getLogger(__name__)
BATCH = 2000


def snapshot_take(*, campaign, taken_on=None, automatic=False):
    """Store the figures of every organisation (one grouped query per figure group and depth)."""
    taken_on = taken_on or timezone.localdate()
    root = Organization.objects.get_first_root_node()
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            campaign=campaign, taken_on=taken_on, automatic=automatic
        )
        if root is None:
            return snapshot
        deepest = Organization.objects.aggregate(depth=Max("depth"))["depth"]
        ids = dict(Organization.objects.values_list("path", "id"))
        batch = []
        for depth in range(root.depth, deepest + 1):
            for path, figures in compute_level(root, depth, campaign).items():
                batch.append(
                    SnapshotFigure(snapshot=snapshot, organization_id=ids[path], figures=figures)
                )
                if len(batch) >= BATCH:
                    SnapshotFigure.objects.bulk_create(batch)
                    batch = []
        SnapshotFigure.objects.bulk_create(batch)
    logger.info("Snapshot of %s as of %s taken", campaign.slug, taken_on)
    return snapshot


def latest_snapshot(campaign):
    if campaign is None:
        return None
    return campaign.snapshots.order_by("-taken_on", "-taken_at").first()


def snapshot_values(snapshot, organizations):
    """``{organization_id: figures}`` of a snapshot for some organisations, in one query."""
    if snapshot is None:
        return {}
    return dict(
        SnapshotFigure.objects.filter(
            snapshot=snapshot, organization__in=organizations
        ).values_list("organization_id", "figures")
    )


def deadline_moment(campaign):
    """The end of the deadline day, in the project's time zone."""
    end = datetime.datetime.combine(campaign.deadline, datetime.time(23, 59, 59))
    return timezone.make_aware(end)


def due_campaigns(now=None):
    """Campaigns whose deadline has passed without an automatic snapshot."""
    today = timezone.localdate(now or timezone.now())
    return Campaign.objects.active().filter(deadline__lt=today).exclude(snapshots__automatic=True)


def snapshot_due(now=None):
    """Take the deadline snapshots that are due; returns them (for the scheduled command)."""
    return [
        snapshot_take(campaign=campaign, taken_on=campaign.deadline, automatic=True)
        for campaign in due_campaigns(now)
    ]

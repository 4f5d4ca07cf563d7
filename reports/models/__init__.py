"""Campaigns and their snapshots; submissions and exports join them in later modules."""

from reports.models.campaigns import (  # noqa: F401
    Campaign,
    CampaignForward,
    CampaignQuerySet,
    Direction,
    Snapshot,
    SnapshotFigure,
)
from reports.models.schools import EducationCount, Explanation  # noqa: F401

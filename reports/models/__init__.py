"""Campaigns, snapshots, seals, exports and submissions; one module per topic."""

from reports.models.approval import ChangeAction, ChangeKind, PostAcceptanceChange  # noqa: F401
from reports.models.campaigns import (  # noqa: F401
    Campaign,
    CampaignForward,
    CampaignKind,
    CampaignQuerySet,
    Direction,
    Snapshot,
    SnapshotFigure,
)
from reports.models.exports import Channel, ExportJob, ExportLog  # noqa: F401
from reports.models.notifications import (  # noqa: F401
    Delivery,
    Notification,
    NotificationPreference,
)
from reports.models.registration import (  # noqa: F401
    BranchRegistration,
    BranchRegistrationStatus,
    EvaluationGrade,
    MemberRegistration,
    RegistrationResult,
)
from reports.models.rollups import FigureRollup  # noqa: F401
from reports.models.schools import EducationCount, Explanation  # noqa: F401
from reports.models.stamps import Issuer  # noqa: F401
from reports.models.statistics import DeclineExplanation, YearEndFigures  # noqa: F401
from reports.models.submissions import (  # noqa: F401
    Submission,
    SubmissionFile,
    SubmissionQuerySet,
    SubmissionStatus,
)

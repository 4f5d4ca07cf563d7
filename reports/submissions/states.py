"""Where a submission stands: its state, its parent, the children's states and who may act.

Read by the submission services, approval up the tree and notifications, none of which need
each other for it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from branches import access
from branches.models import Organization
from reports.models import Submission, SubmissionStatus


class State:
    NOT_SUBMITTED = "not_submitted"
    PREPARING = "preparing"
    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    ACCEPTED = "accepted"

    LABELS = {
        NOT_SUBMITTED: gettext_lazy("not submitted"),
        PREPARING: gettext_lazy("submitted, tables being prepared"),
        ON_TIME: gettext_lazy("submitted on time"),
        LATE: gettext_lazy("submitted late"),
        RETURNED: gettext_lazy("returned"),
        ACCEPTED: gettext_lazy("accepted"),
    }


def state_of(submission):
    if submission is None or submission.status == SubmissionStatus.FAILED:
        return State.NOT_SUBMITTED
    if submission.status == SubmissionStatus.PREPARING:
        return State.PREPARING
    if submission.status == SubmissionStatus.ACCEPTED:
        return State.ACCEPTED
    if submission.status == SubmissionStatus.RETURNED:
        return State.RETURNED
    return State.LATE if submission.is_late else State.ON_TIME


@dataclass(frozen=True)
class ChildState:
    organization: Organization
    submission: Submission | None

    @property
    def state(self):
        return state_of(self.submission)

    @property
    def label(self):
        return State.LABELS[self.state]


def parent_of(organization):
    if organization.depth <= 1:
        return None
    return Organization.objects.get(path=organization.path[: -organization.steplen])


def latest_submission(campaign, organization):
    return (
        Submission.objects.filter(campaign=campaign, organization=organization)
        .order_by("-version")
        .first()
    )


def children_states(campaign, parent):
    """Each child of ``parent`` with its newest submission for ``campaign`` (two queries)."""
    children = list(Organization.objects.children_of(parent))
    latest = {
        s.organization_id: s
        for s in Submission.objects.latest_per_organization()
        .filter(campaign=campaign, organization__in=children)
        .prefetch_related("files")
    }
    return [ChildState(child, latest.get(child.pk)) for child in children]


def can_submit(user, organization):
    """Committees submit for their own organisation, which must have a parent to send to."""
    return (
        organization.depth > 1
        and access.can(user, access.Capability.SUBMIT, organization)
        and access.home_organization(user) == organization
    )


def can_review(user, submission):
    """The parent organisation's committee (or provincial staff) accepts or returns."""
    parent = parent_of(submission.organization)
    if parent is None or not access.can(user, access.Capability.REVIEW, parent):
        return False
    return access.sees_everything(user) or access.home_organization(user) == parent

"""Level-by-level submission (逐级上报): a committee sends its stamped tables to its parent, which
accepts them or returns them for correction; every version is kept."""

import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches import access
from branches.models import Organization
from reports.exporting import export_write
from reports.models import Channel, Submission, SubmissionFile, SubmissionStatus
from reports.spreadsheets.base import get_table


class State:
    NOT_SUBMITTED = "not_submitted"
    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    ACCEPTED = "accepted"

    LABELS = {
        NOT_SUBMITTED: gettext_lazy("not submitted"),
        ON_TIME: gettext_lazy("submitted on time"),
        LATE: gettext_lazy("submitted late"),
        RETURNED: gettext_lazy("returned"),
        ACCEPTED: gettext_lazy("accepted"),
    }


def state_of(submission):
    if submission is None:
        return State.NOT_SUBMITTED
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


def submission_create(*, campaign, organization, user, note=""):
    """Freeze freshly stamped tables of ``organization`` as the next version of its submission."""
    if not can_submit(user, organization):
        raise PermissionDenied
    kinds = campaign.table_kinds
    if not kinds:
        raise ValidationError(_("This campaign does not collect tables."))
    with transaction.atomic():
        previous = (
            Submission.objects.select_for_update()
            .filter(campaign=campaign, organization=organization)
            .order_by("-version")
            .first()
        )
        if previous is not None and previous.status != SubmissionStatus.RETURNED:
            raise ValidationError(
                _("Already submitted; you can submit again only after it is returned.")
            )
        version = (
            Submission.objects.filter(campaign=campaign, organization=organization).aggregate(
                v=Max("version")
            )["v"]
            or 0
        ) + 1
        submission = Submission(
            campaign=campaign,
            organization=organization,
            version=version,
            submitted_by=user,
            submitted_at=timezone.now(),
            deadline=campaign.deadline_for(organization),
            note=note,
        )
        submission.full_clean()
        submission.save()
        for kind in kinds:
            buffer = io.BytesIO()
            result = export_write(
                table=get_table(kind),
                organization=organization,
                target=buffer,
                user=user,
                stamp=True,
                channel=Channel.SUBMISSION,
            )
            data = buffer.getvalue()
            stored = SubmissionFile(
                submission=submission,
                kind=kind,
                digest=hashlib.sha256(data).hexdigest(),
                rows=result.rows,
                verification_code=result.code,
            )
            stored.file.save(
                f"{organization.code}-{campaign.slug}-v{version}-{kind}.xlsx",
                ContentFile(data),
                save=False,
            )
            stored.save()
    return submission


def _review(submission, user, status, reason=""):
    if not can_review(user, submission):
        raise PermissionDenied
    with transaction.atomic():
        current = Submission.objects.select_for_update().get(pk=submission.pk)
        newest = latest_submission(current.campaign, current.organization)
        if current.pk != newest.pk or current.status != SubmissionStatus.SUBMITTED:
            raise ValidationError(_("Only the newest version awaiting review can be decided."))
        current.status = status
        current.return_reason = reason
        current.reviewed_by = user
        current.reviewed_at = timezone.now()
        current.full_clean()
        current.save()
    return current


def submission_accept(*, submission, user):
    return _review(submission, user, SubmissionStatus.ACCEPTED)


def submission_return(*, submission, user, reason):
    if not (reason or "").strip():
        raise ValidationError(_("Say why the submission is returned."))
    return _review(submission, user, SubmissionStatus.RETURNED, reason.strip())


def file_is_intact(stored):
    """Whether a frozen file still has the digest it was stored with."""
    with stored.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == stored.digest

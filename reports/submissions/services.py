"""Level-by-level submission (逐级上报): a committee sends its stamped tables to its parent, which
accepts them or returns them for correction; every version is kept.

The tables are written when the committee submits. Tables larger in total than
``BACKGROUND_EXPORT_ROWS`` are written by the task worker instead: the version is recorded at once
(its submission time decides whether it is on time) and stays *preparing* until its files are
frozen, or *failed*, after which the committee submits again.
"""

import contextlib
import hashlib
import logging
import tempfile
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches import access
from branches.models import Organization
from reports.models import Channel, Submission, SubmissionFile, SubmissionStatus
from reports.submissions.exporting import export_write
from reports.tables.base import get_table

logger = logging.getLogger(__name__)

#: A version still preparing after this long is taken as failed (its worker is gone).
PREPARING_TIMEOUT = timedelta(hours=2)
RESUBMITTABLE = (SubmissionStatus.RETURNED, SubmissionStatus.FAILED)
DIGEST_CHUNK = 1 << 20


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


def submission_create(*, campaign, organization, user, note="", override_reason=""):
    """Record the next version of ``organization``'s submission and freeze its stamped tables,
    at once or, for large tables, in the task worker.

    While a child owing a submission is not accepted, the committee submits only with an
    ``override_reason``; the children are then stored with the version (``reports.submissions.approval``).
    """
    from reports.submissions.approval import check_children

    if not can_submit(user, organization):
        raise PermissionDenied
    kinds = campaign.table_kinds
    if not kinds:
        raise ValidationError(_("This campaign does not collect tables."))
    override_children = check_children(campaign, organization, override_reason)
    rows = sum(get_table(kind).count(organization, user=user) for kind in kinds)
    background = rows > settings.BACKGROUND_EXPORT_ROWS
    with transaction.atomic():
        previous = (
            Submission.objects.select_for_update()
            .filter(campaign=campaign, organization=organization)
            .order_by("-version")
            .first()
        )
        if not may_follow(previous):
            raise ValidationError(
                _("Already submitted; you can submit again only after it is returned.")
            )
        if previous is not None:
            _expire_if_stuck(previous)
        submission = Submission(
            campaign=campaign,
            organization=organization,
            version=(previous.version if previous else 0) + 1,
            status=SubmissionStatus.PREPARING if background else SubmissionStatus.SUBMITTED,
            submitted_by=user,
            submitted_at=timezone.now(),
            deadline=campaign.deadline_for(organization),
            note=note,
            rows_total=rows,
            override_reason=override_reason.strip() if override_children else "",
            override_children=override_children,
        )
        submission.full_clean()
        submission.save()
        if background:
            from reports.tasks import prepare_submission

            transaction.on_commit(lambda: prepare_submission.enqueue(submission.pk))
        else:
            _freeze(submission)
        _notify(submission, "submitted")
    return submission


def _notify(submission, event):
    from reports.notifications import notify_submission

    notify_submission(submission, event)


def submission_prepare(submission_id):
    """Write and freeze a preparing submission's tables (run by the task worker).

    Progress is saved as rows are written; on any error the version is marked failed with the
    reason and nothing of it is kept, so that the committee can submit again.
    """
    submission = Submission.objects.select_related("campaign", "organization", "submitted_by").get(
        pk=submission_id
    )
    if submission.status != SubmissionStatus.PREPARING:
        return submission.status

    def progress(rows):
        Submission.objects.filter(pk=submission.pk).update(
            rows_done=min(rows, submission.rows_total)
        )

    try:
        _freeze(submission, on_progress=progress)
    except Exception as exc:  # the page must say it failed rather than prepare forever
        logger.exception("Preparing submission %s failed", submission.pk)
        Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.PREPARING).update(
            status=SubmissionStatus.FAILED, error=str(exc)[:500]
        )
        return SubmissionStatus.FAILED
    return SubmissionStatus.SUBMITTED


def is_stuck(submission):
    """A version still preparing long after it was submitted: its worker is gone."""
    return (
        submission.status == SubmissionStatus.PREPARING
        and timezone.now() - submission.submitted_at > PREPARING_TIMEOUT
    )


def may_follow(latest):
    """Whether a new version may follow the newest one (None when nothing was submitted)."""
    return latest is None or latest.status in RESUBMITTABLE or is_stuck(latest)


def _expire_if_stuck(submission):
    if is_stuck(submission):
        submission.status = SubmissionStatus.FAILED
        submission.error = _("The tables were not prepared in time.")
        submission.save(update_fields=["status", "error"])


def _freeze(submission, on_progress=None):
    """Write the stamped tables to temporary files, then store them with their digests and, for
    a preparing version, mark it submitted, in one transaction."""
    organization, campaign = submission.organization, submission.campaign
    with contextlib.ExitStack() as stack:
        written, done = [], 0
        for kind in campaign.table_kinds:
            handle = stack.enter_context(tempfile.TemporaryFile(suffix=".xlsx"))
            result = export_write(
                table=get_table(kind),
                organization=organization,
                target=handle,
                user=submission.submitted_by,
                stamp=True,
                channel=Channel.SUBMISSION,
                on_progress=(lambda rows, base=done: on_progress(base + rows))
                if on_progress
                else None,
            )
            done += result.rows
            written.append((kind, handle, result))
        saved = []
        try:
            with transaction.atomic():
                for kind, handle, result in written:
                    stored = SubmissionFile(
                        submission=submission,
                        kind=kind,
                        digest=_digest(handle),
                        rows=result.rows,
                        verification_code=result.code,
                    )
                    handle.seek(0)
                    name = f"{organization.code}-{campaign.slug}-v{submission.version}-{kind}.xlsx"
                    stored.file.save(name, File(handle), save=False)
                    saved.append(stored.file.name)
                    stored.save()
                if submission.status == SubmissionStatus.PREPARING:
                    updated = Submission.objects.filter(
                        pk=submission.pk, status=SubmissionStatus.PREPARING
                    ).update(status=SubmissionStatus.SUBMITTED, rows_done=done)
                    if not updated:
                        raise ValidationError(_("This version is no longer being prepared."))
                    submission.status = SubmissionStatus.SUBMITTED
        except Exception:
            for name in saved:
                SubmissionFile.file.field.storage.delete(name)
            raise


def _digest(handle):
    handle.seek(0)
    digest = hashlib.sha256()
    while chunk := handle.read(DIGEST_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


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
    _notify(current, status)
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
        return _digest(handle) == stored.digest

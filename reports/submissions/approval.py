"""Approval up the tree (逐级审核): a committee's submission waits for its children's, a parent
can reopen what it accepted, and records an accepted submission contains are watched.

* :func:`unaccepted_children` — the children that owe a submission and have none accepted; a
  committee submits over them only with an override that names them and says why
  (:func:`check_children`, called by ``submission_create``).
* :func:`submission_reopen` — the parent takes back an acceptance (撤销接收) with a reason; the
  version reads as returned, so the child submits a new version and the old ones stay.
* :func:`guard_accepted_records` — registered on the member and number writes (``members.watch``)
  and called by the explanation service: a write to a record that an accepted, newest submission
  contains is recorded as a :class:`PostAcceptanceChange` for the parent to see, or, when the
  campaign locks accepted records, refused until the parent reopens.
* :func:`approval_tree` — the approval state of every committee in a subtree.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization
from reports.models import (
    ChangeKind,
    PostAcceptanceChange,
    Submission,
    SubmissionStatus,
)
from reports.submissions.states import State, can_review, latest_submission, state_of

#: Kinds of organisation that submit tables of their own; branches are counted by the committees.
SUBMITTING_KINDS = (
    Organization.Kind.CITY,
    Organization.Kind.WORKING_COMMITTEE,
    Organization.Kind.COUNTY,
    Organization.Kind.GRASSROOTS,
)
#: The submitted tables that hold each kind of watched record; members are in every other table.
RECORD_TABLES = {
    ChangeKind.UNUSED_NUMBER: {"unused_numbers"},
    ChangeKind.EXPLANATION: {"school_counts"},
    ChangeKind.EDUCATION_COUNT: {"school_counts"},
}
NOT_MEMBER_TABLES = {"unused_numbers", "school_counts", "cadres"}
#: The subtree shown as a tree on the submissions page stops after this many committees.
TREE_LIMIT = 2000


def owes_submission(organization):
    return organization.kind in SUBMITTING_KINDS and organization.status == Organization.Status.OPEN


def owing_children(parent):
    """The open committees directly below ``parent``: each owes it a submission."""
    return Organization.objects.children_of(parent).filter(
        kind__in=SUBMITTING_KINDS, status=Organization.Status.OPEN
    )


def unaccepted_children(campaign, organization):
    """The children owing ``organization`` a submission for ``campaign`` whose newest version is
    not accepted, each with its state (two queries)."""
    children = list(owing_children(organization).order_by("path"))
    latest = {
        s.organization_id: s
        for s in Submission.objects.latest_per_organization().filter(
            campaign=campaign, organization__in=children
        )
    }
    return [
        (child, state_of(latest.get(child.pk)))
        for child in children
        if latest.get(child.pk) is None or latest[child.pk].status != SubmissionStatus.ACCEPTED
    ]


def check_children(campaign, organization, override_reason=""):
    """The override to store with a new submission: ``[{code, name, state}, ...]`` of the
    children not yet accepted. Raises ValidationError naming them when there are some and no
    reason to submit anyway is given."""
    missing = unaccepted_children(campaign, organization)
    if not missing:
        return []
    if not (override_reason or "").strip():
        raise ValidationError(
            _(
                "Not every organisation below has been accepted yet: %(names)s. Submit only "
                "after accepting them, or give the reason for submitting now."
            )
            % {
                "names": "、".join(
                    f"{child.name}（{State.LABELS[state]}）" for child, state in missing
                )
            }
        )
    return [{"code": child.code, "name": child.name, "state": state} for child, state in missing]


def can_reopen(user, submission):
    return can_review(user, submission)


def submission_reopen(*, submission, user, reason):
    """The parent takes back its acceptance of the newest version (撤销接收), with a reason.

    The version reads as returned with that reason; the child submits a new version, and every
    older one stays as it was.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the acceptance is taken back."))
    if not can_reopen(user, submission):
        raise PermissionDenied
    with transaction.atomic():
        current = Submission.objects.select_for_update().get(pk=submission.pk)
        newest = latest_submission(current.campaign, current.organization)
        if current.pk != newest.pk or current.status != SubmissionStatus.ACCEPTED:
            raise ValidationError(_("Only the newest accepted version can be reopened."))
        current.status = SubmissionStatus.RETURNED
        current.return_reason = reason
        current.reopened_by = user
        current.reopened_at = timezone.now()
        current.full_clean()
        current.save()
    from reports.notifications import notify_submission

    notify_submission(current, "reopened")
    return current


# --- records an accepted submission contains ---------------------------------------------------


def _contains(campaign, kind, year):
    first, last = campaign.number_years
    kinds = set(campaign.table_kinds)
    if kind == ChangeKind.MEMBER:
        in_tables = bool(kinds - NOT_MEMBER_TABLES)
    else:
        in_tables = bool(kinds & RECORD_TABLES[kind])
    if not in_tables:
        return False
    if kind in (ChangeKind.EXPLANATION, ChangeKind.EDUCATION_COUNT):
        return year == campaign.year
    return first <= year <= last


def accepted_submissions_over(places):
    """``{(organization_id, year): [submission, ...]}``: the newest, accepted submissions of
    active campaigns by each organisation at or above each place (one query while nothing is
    accepted, three otherwise)."""
    accepted = Submission.objects.filter(status=SubmissionStatus.ACCEPTED, campaign__is_active=True)
    if not accepted.exists():
        return {}
    org_ids = {org_id for org_id, _year in places}
    paths = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "path"))
    steplen = Organization.steplen
    ancestor_paths = {
        path[:end] for path in paths.values() for end in range(steplen, len(path) + 1, steplen)
    }
    newest = list(
        Submission.objects.latest_per_organization()
        .filter(
            status=SubmissionStatus.ACCEPTED,
            campaign__is_active=True,
            organization__path__in=ancestor_paths,
        )
        .select_related("campaign", "organization")
    )
    return {
        (org_id, year): [
            s for s in newest if paths.get(org_id, "\0").startswith(s.organization.path)
        ]
        for org_id, year in places
    }


def guard_accepted_records(*, kind, action, records, user=None, check_only=False):
    """Record (or, under a lock, refuse) a write to records accepted submissions contain."""
    places = {place for record in records for place in record.places}
    over = accepted_submissions_over(places)
    changes = []
    for record in records:
        affected = {}
        for org_id, year in record.places:
            for submission in over.get((org_id, year), ()):
                if _contains(submission.campaign, kind, year):
                    affected[submission.pk] = submission
        for submission in affected.values():
            if submission.campaign.lock_after_acceptance:
                raise ValidationError(
                    _(
                        "“%(record)s” is in the accepted submission of %(organization)s for "
                        "“%(campaign)s”; it cannot be changed until the level above reopens "
                        "that submission."
                    )
                    % {
                        "record": record.label,
                        "organization": submission.organization.name,
                        "campaign": submission.campaign.name,
                    }
                )
            if check_only:
                continue
            changes.append(
                PostAcceptanceChange(
                    submission=submission,
                    kind=kind,
                    action=action,
                    object_id=record.object_id,
                    label=record.label[:200],
                    changed_by=user if getattr(user, "pk", None) else None,
                )
            )
    PostAcceptanceChange.objects.bulk_create(changes)


def changes_since_acceptance(submissions):
    """``{submission_pk: count}`` of the changes recorded after each accepted submission."""
    return dict(
        PostAcceptanceChange.objects.filter(submission__in=submissions)
        .values_list("submission")
        .annotate(n=Count("pk"))
        .values_list("submission", "n")
    )


# --- the subtree as a tree ---------------------------------------------------------------------


@dataclass(frozen=True)
class TreeRow:
    organization: Organization
    submission: Submission | None
    indent: int
    changes: int

    @property
    def state(self):
        return state_of(self.submission)

    @property
    def label(self):
        return State.LABELS[self.state]


def approval_tree(campaign, organization, user):
    """Every committee in ``organization``'s subtree (within the user's scope), in tree order,
    with its newest submission and the changes since it was accepted (three queries)."""
    from branches import access

    committees = list(
        access.scope_queryset(
            user,
            Organization.objects.filter(
                path__startswith=organization.path,
                depth__gt=organization.depth,
                kind__in=SUBMITTING_KINDS,
            ),
        ).order_by("path")[:TREE_LIMIT]
    )
    latest = {
        s.organization_id: s
        for s in Submission.objects.latest_per_organization().filter(
            campaign=campaign, organization__in=committees
        )
    }
    counts = changes_since_acceptance(
        [s for s in latest.values() if s.status == SubmissionStatus.ACCEPTED]
    )
    return [
        TreeRow(
            organization=org,
            submission=latest.get(org.pk),
            indent=org.depth - organization.depth - 1,
            changes=counts.get(latest[org.pk].pk, 0) if org.pk in latest else 0,
        )
        for org in committees
    ]

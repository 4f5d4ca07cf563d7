"""Writes of a registration year: members' results, the branch's submission, its review.

Every write checks scope through :mod:`branches.access` and runs in one transaction. Results are
saved all or nothing: one rejected member saves no member, and every rejection names the member.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from branches import access
from members.models import Member, MemberStatus
from reports.models import (
    BranchRegistration,
    BranchRegistrationStatus,
    Campaign,
    MemberRegistration,
)
from reports.rollups import maintain as rollups

#: states in which a branch's results can no longer change
LOCKED = (BranchRegistrationStatus.SUBMITTED, BranchRegistrationStatus.CERTIFIED)
#: how many missing members a refusal names before it only counts them
NAMED_AT_MOST = 5


class RegistrationBatchError(ValidationError):
    """Rejected entries of a batch: ``by_entry`` maps an entry's index to its ValidationError."""

    def __init__(self, by_entry, messages):
        super().__init__(messages)
        self.by_entry = by_entry


def registration_years():
    """The registration years open for recording, newest first."""
    return Campaign.objects.active().registration_years().order_by("-year", "-deadline")


def members_to_register(branch):
    """The members ``branch`` registers: its active members (在团), by name."""
    return Member.objects.filter(branch=branch, status=MemberStatus.ACTIVE).order_by("name", "pk")


def records_of(campaign, branch):
    """``{member_id: MemberRegistration}`` of the members ``branch`` registers, in one query."""
    return {
        record.member_id: record
        for record in MemberRegistration.objects.filter(
            campaign=campaign, member__branch=branch, member__status=MemberStatus.ACTIVE
        )
    }


def branch_registration_of(campaign, branch):
    return BranchRegistration.objects.filter(campaign=campaign, branch=branch).first()


def is_locked(registration):
    """Whether a branch's results are frozen: submitted and not returned, or certified."""
    return registration is not None and registration.status in LOCKED


def person(member):
    """A member as errors name them: the name and the masked ID number."""
    return f"{member.name}（{member.masked_id_number}）"


def _check_year(campaign):
    if not campaign.is_registration or not campaign.is_active:
        raise ValidationError(_("This campaign is not an open registration year."))


def _check_branch(user, branch):
    if not branch.is_branch:
        raise ValidationError(_("Only a branch registers its members."))
    if not access.can_record_registration(user, branch):
        raise PermissionDenied


def registrations_save(*, campaign, branch, user, entries):
    """Record each entry's result and grade for ``campaign``, all or nothing.

    ``entries`` are dicts with ``member``, ``result``, ``reason`` and ``grade``. Raises
    :class:`RegistrationBatchError` naming each rejected member; saves nothing then.
    Returns the number of records written.
    """
    _check_year(campaign)
    _check_branch(user, branch)
    with transaction.atomic():
        current = (
            BranchRegistration.objects.select_for_update()
            .filter(campaign=campaign, branch=branch)
            .first()
        )
        if is_locked(current):
            raise ValidationError(
                _(
                    "The registration has been submitted; it can be changed only after the "
                    "committee above returns it."
                )
            )
        allowed = {m.pk: m for m in members_to_register(branch)}
        existing = records_of(campaign, branch)
        now = timezone.now()
        by_entry, messages, new, changed = {}, [], [], []
        seen = set()
        for index, entry in enumerate(entries):
            member = entry["member"]
            if member.pk not in allowed:
                error = ValidationError(
                    _("%(person)s is not an active member of this branch.")
                    % {"person": person(member)}
                )
            elif member.pk in seen:
                error = ValidationError(
                    _("%(person)s appears more than once.") % {"person": person(member)}
                )
            else:
                error = None
            seen.add(member.pk)
            record = existing.get(member.pk) or MemberRegistration(campaign=campaign, member=member)
            record.branch = branch
            record.result = entry["result"]
            record.reason = entry.get("reason") or ""
            record.grade = entry["grade"]
            record.recorded_by = user
            record.recorded_at = now
            if error is None:
                try:
                    record.full_clean(validate_unique=False, validate_constraints=False)
                except ValidationError as exc:
                    error = exc
            if error is not None:
                by_entry[index] = error
                messages.extend(f"{person(member)}：{text}" for text in error.messages)
                continue
            (changed if record.pk else new).append(record)
        if by_entry:
            raise RegistrationBatchError(by_entry, messages)
        fields = ["branch", "result", "reason", "grade", "recorded_by", "recorded_at"]
        if changed:
            bulk_update_with_history(changed, MemberRegistration, fields, default_user=user)
        if new:
            bulk_create_with_history(new, MemberRegistration, default_user=user)
        # Bulk writes send no signals: the branch's figure roll-ups are brought up to date here.
        rollups.refresh([branch.pk], "registration")
    return len(changed) + len(new)


def missing_members(campaign, branch):
    """Active members of ``branch`` without a result for ``campaign``."""
    return members_to_register(branch).exclude(registrations__campaign=campaign)


def branch_registration_submit(*, campaign, branch, user):
    """Send ``branch``'s registration up for certification; every active member needs a result.

    A first submission or a returned one may be submitted; the deadline is the one the branch
    was given (a forward's internal deadline, or the campaign's).
    """
    _check_year(campaign)
    _check_branch(user, branch)
    with transaction.atomic():
        record = (
            BranchRegistration.objects.select_for_update()
            .filter(campaign=campaign, branch=branch)
            .first()
        )
        if is_locked(record):
            raise ValidationError(_("The registration has already been submitted."))
        missing = list(missing_members(campaign, branch)[: NAMED_AT_MOST + 1])
        if missing:
            total = missing_members(campaign, branch).count()
            names = "、".join(m.name for m in missing[:NAMED_AT_MOST])
            raise ValidationError(
                _("%(count)d member(s) have no registration result yet: %(names)s.")
                % {"count": total, "names": names + ("……" if total > NAMED_AT_MOST else "")}
            )
        if not members_to_register(branch).exists():
            raise ValidationError(_("The branch has no active members to register."))
        now = timezone.now()
        deadline = campaign.deadline_for(branch)
        record = record or BranchRegistration(campaign=campaign, branch=branch)
        record.status = BranchRegistrationStatus.SUBMITTED
        record.submitted_at = now
        record.submitted_by = user
        record.deadline = deadline
        record.late = timezone.localdate(now) > deadline
        record.reviewed_at = None
        record.reviewed_by = None
        record.return_reason = ""
        record.full_clean(validate_unique=False)
        record.save()
    return record


def _review(registration, user, status, reason=""):
    if not access.can_certify_registration(user, registration.branch):
        raise PermissionDenied
    with transaction.atomic():
        current = BranchRegistration.objects.select_for_update().get(pk=registration.pk)
        if current.status != BranchRegistrationStatus.SUBMITTED:
            raise ValidationError(_("Only a registration awaiting certification can be decided."))
        current.status = status
        current.return_reason = reason
        current.reviewed_by = user
        current.reviewed_at = timezone.now()
        current.full_clean(validate_unique=False)
        current.save()
    return current


def branch_registration_certify(*, registration, user):
    """Certify (审核通过) a submitted registration."""
    return _review(registration, user, BranchRegistrationStatus.CERTIFIED)


def branch_registration_return(*, registration, user, reason):
    """Return a submitted registration to its branch, saying why."""
    if not (reason or "").strip():
        raise ValidationError(_("Say why the registration is returned."))
    return _review(registration, user, BranchRegistrationStatus.RETURNED, reason.strip())


def registrations_to_certify(user, campaign, root, limit=200):
    """Submitted registrations in ``root``'s subtree that ``user`` may certify, oldest first."""
    return list(
        BranchRegistration.objects.awaiting()
        .filter(campaign=campaign, branch__path__startswith=root.path)
        .filter(access.registrations_certifiable_q(user))
        .select_related("branch", "submitted_by")
        .order_by("submitted_at")[:limit]
    )

"""Writes to member records, shared by the admin, the roster import, the demo and commands.

Every write validates the whole record (``full_clean``) and, when a ``user`` is given, that the
user may enter members in the member's branch and name its developing organisation. The
system sets 录入时间 (``entered_at``) when a record is created; nobody can set it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches import access
from members.bulk_insert import insert_members
from members.models import Member
from members.models.number_rule import check_member_number
from members.tallies import tally_members
from members.watch import guard_write, member_record, stored_member_places

#: the fields a person (form, import) may set; everything else is derived or kept by the system
MEMBER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "education",
    "identity",
    "join_date",
    "development_number",
    "developing_organization",
    "branch",
    "phone",
)


def _assign(member, fields):
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"Not settable on a member: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(member, name, value)


def member_check_scope(*, member, user):
    """Raise ValidationError unless ``user`` may place ``member`` where it says.

    The branch must be one where the user enters members, the developing organisation one the
    user can see. Unknown and foreign organisations get the same message.
    """
    if user is None:
        return
    errors = {}
    branch = member.branch if member.branch_id else None
    if branch is None or not access.can(user, access.Capability.ENTER_MEMBERS, branch):
        errors["branch"] = [_("No such branch in your scope.")]
    developer = member.developing_organization if member.developing_organization_id else None
    if developer is None or not access.is_in_scope(user, developer):
        errors["developing_organization"] = [_("No such organisation in your scope.")]
    if errors:
        raise ValidationError(errors)


def member_validate(*, member, user=None, facts=None):
    """Raise ValidationError unless ``member`` may be saved as it is: the user's scope, the
    record's own checks, then the number rule with ``facts`` (see
    :func:`members.models.number_rule.check_member_number`)."""
    errors = {}
    try:
        member_check_scope(member=member, user=user)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        member.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if "development_number" not in errors:
        try:
            check_member_number(member, facts=facts)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _validate(member, user):
    member_validate(member=member, user=user)


def member_create(*, user=None, member=None, **fields):
    """Create a member from ``fields`` (the names in ``MEMBER_FIELDS``) and return it.

    ``member`` is an unsaved instance to fill and save instead of a new one (the admin passes
    its form's instance). Raises ValidationError, saving nothing, when the record is invalid
    or, with ``user`` given, outside the user's scope.
    """
    member = member if member is not None else Member()
    if not member._state.adding:
        raise ValueError("member_create() saves new members only; use member_update().")
    _assign(member, fields)
    member.entered_at = timezone.now()
    with transaction.atomic():
        _validate(member, user)
        member.save(force_insert=True)
        guard_write(kind="member", action="created", records=[member_record(member)], user=user)
    return member


def member_update(*, member, user=None, **fields):
    """Change ``fields`` of an existing member and save it.

    With ``user`` given, the member must currently be in a branch the user enters members for,
    and stay within the user's scope.
    """
    if member._state.adding:
        raise ValueError("member_update() changes saved members only; use member_create().")
    _assign(member, fields)
    with transaction.atomic():
        if user is not None and not Member.objects.editable_by(user).filter(pk=member.pk).exists():
            raise ValidationError(_("You may not change this member."))
        _validate(member, user)
        before = stored_member_places(member)
        member.save()
        guard_write(
            kind="member", action="changed", records=[member_record(member, *before)], user=user
        )
    return member


def member_delete(*, member, user=None):
    """Delete a member record (the history keeps it)."""
    with transaction.atomic():
        if user is not None and not Member.objects.editable_by(user).filter(pk=member.pk).exists():
            raise ValidationError(_("You may not change this member."))
        guard_write(
            kind="member",
            action="deleted",
            records=[member_record(member, *stored_member_places(member))],
            user=user,
        )
        member.delete()


def member_bulk_create(*, members, user=None, change_reason=None, batch_size=1000):
    """Insert many already validated members at once, with one history record each.

    The caller validates (the roster import checks every row first). Derived fields are
    refreshed here, since ``bulk_create`` bypasses ``Member.save()``; ``user`` becomes the
    author of the history records.
    """
    members = list(members)
    with transaction.atomic():
        # COPY on PostgreSQL, bulk_create elsewhere; derived fields computed once per value.
        created = insert_members(
            members, user=user, change_reason=change_reason, batch_size=batch_size
        )
        # bulk_create sends no signals: bring the stored counts up to date here.
        tally_members(created, created=True)
        guard_write(
            kind="member",
            action="created",
            records=[member_record(member) for member in created],
            user=user,
        )
        return created

"""Writes to the organisation tree and to user access, shared by admin, imports and commands."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from branches import access
from branches.cadre_services import (  # noqa: F401  (the cadre writes, named here too)
    CADRE_FIELDS,
    cadre_check_scope,
    cadre_create,
    cadre_end,
    cadre_save,
    cadre_update,
)
from branches.models import Cadre, Organization, OrganizationAccess, Role
from branches.signals import organization_moved

TREE_FIELDS = ("path", "depth", "numchild")

#: Callables ``finder(code) -> organisations`` naming where the records that a school code ties
#: to an organisation are counted (the education department's rows live in ``reports``, which
#: this app may not import: it registers its finder at start-up).
_school_code_places = []


def register_school_code_places(finder):
    """Add ``finder`` to the checks of :func:`organization_check_school_code`."""
    if finder not in _school_code_places:
        _school_code_places.append(finder)


def school_code_attributable(*, user, code):
    """Whether ``user`` may tie school ``code`` to an organisation or untie it (delete included):
    every place where the code's records are counted is one the user may attribute."""
    return all(
        access.can_attribute_school(user, place)
        for finder in _school_code_places
        for place in finder(code)
    )


def organization_check_school_code(*, organization, user=None, school_code=None):
    """Raise ValidationError unless ``user`` may give ``organization`` its school code.

    Setting, changing or clearing a code moves the education department's rows of the old and
    the new code: each must be counted at a place the user may attribute
    (:func:`branches.access.can_attribute_school`); only provincial staff re-attribute others.
    ``school_code`` is the new code when not yet set on ``organization`` (a form's clean).
    """
    if user is None:
        return
    new = (organization.school_code if school_code is None else school_code) or ""
    old = ""
    if not organization._state.adding:
        old = (
            Organization.objects.filter(pk=organization.pk)
            .values_list("school_code", flat=True)
            .first()
            or ""
        )
    if new == old:
        return
    for code in sorted({new, old} - {""}):
        if not school_code_attributable(user=user, code=code):
            raise ValidationError(
                {
                    "school_code": _(
                        "The school code %(code)s belongs to a school of the education "
                        "department's figures outside your scope; only the provincial "
                        "committee may attribute it."
                    )
                    % {"code": code}
                }
            )


def _fresh(organization):
    # treebeard computes child paths from the parent's stored numchild: never trust a stale copy.
    return Organization.objects.get(pk=organization.pk)


def organization_save(*, organization, parent, user=None):
    """Create ``organization`` under ``parent``, or update it and move it under ``parent``.

    ``parent`` None means the root (the provincial committee); there is only one. With ``user``
    given, the parent must be an organisation the user may add to, and an existing organisation
    one the user may manage.
    """
    organization.full_clean(exclude=TREE_FIELDS)
    adding = organization._state.adding
    organization_check_placement(organization=organization, parent=parent, user=user)
    organization_check_school_code(organization=organization, user=user)
    with transaction.atomic():
        if adding:
            if parent is None:
                return Organization.objects.add_root(instance=organization)
            return Organization.objects.add_child(parent, instance=organization)
        current_parent_code = _parent_code_of(organization)
        old_path = _fresh(organization).path
        organization.save()
        new_parent_code = parent.code if parent is not None else None
        if new_parent_code != current_parent_code:
            try:
                with transaction.atomic():
                    Organization.objects.move(_fresh(organization), _fresh(parent), "last-child")
                    organization.refresh_from_db()
                    organization_moved.send(
                        sender=Organization, organization=organization, old_path=old_path
                    )
            except IntegrityError:
                # Records kept by position (number ranges at a tree level) refuse the move.
                raise ValidationError(
                    {
                        "parent": _(
                            "The organisation cannot move there: its number ranges would "
                            "overlap those of its new siblings."
                        )
                    }
                ) from None
    return organization


def organization_check_placement(*, organization, parent, user=None):
    """Raise ValidationError unless ``organization`` may sit under ``parent`` (None: the top)."""
    adding = organization._state.adding
    moving = adding or _parent_code_of(organization) != getattr(parent, "code", None)
    if user is not None:
        if not adding and not access.can_manage_organization(user, organization):
            raise ValidationError(_("You may not change this organisation."))
        if moving and not access.can_create_under(user, parent):
            raise ValidationError({"parent": _("No such parent organisation in your scope.")})
    if not moving:
        return
    if parent is not None and not parent.is_open:
        raise ValidationError(
            {"parent": _("A closed organisation takes no new organisations below it.")}
        )
    if parent is None:
        if not adding:
            raise ValidationError({"parent": _("Only the provincial committee sits at the top.")})
        if Organization.objects.filter(depth=1).exists():
            raise ValidationError(
                {"parent": _("There is already a provincial committee at the top.")}
            )
    elif not adding and parent.path.startswith(organization.path):
        raise ValidationError(
            {"parent": _("An organisation cannot be placed under itself or its own subtree.")}
        )


def _parent_code_of(organization):
    if organization.depth <= 1:
        return None
    parent_path = organization.path[: organization.steplen * (organization.depth - 1)]
    return Organization.objects.filter(path=parent_path).values_list("code", flat=True).first()


def organization_set_graduation(*, organizations, graduation_date=None, reason="", user=None):
    """Give many class branches one graduation date, or one reason for having none."""
    if bool(graduation_date) == bool(reason):
        raise ValidationError(_("Give either a graduation date or a reason for having none."))
    branches = list(organizations)
    for branch in branches:
        if branch.kind != Organization.Kind.CLASS_BRANCH:
            raise ValidationError(
                _("%(name)s is not a student class branch.") % {"name": branch.name}
            )
        if user is not None and not access.can(user, access.Capability.SET_GRADUATION, branch):
            raise ValidationError(_("No such organisation in your scope."))
    with transaction.atomic():
        for branch in branches:
            branch.graduation_date = graduation_date
            branch.no_graduation_reason = reason
            branch.save(update_fields=["graduation_date", "no_graduation_reason"])
    return len(branches)


def grant_check(*, organization, role, granted_by=None):
    """Raise ValidationError unless ``granted_by`` may give ``role`` at ``organization`` (the
    rule is :func:`branches.access.grantable_roles`). The grant service and the admin's grant
    form both ask this."""
    if granted_by is not None and Role(role) not in access.grantable_roles(
        granted_by, organization
    ):
        raise ValidationError(_("You may not grant this role at this organisation."))


def user_grant(*, username, organization, role, password=None, granted_by=None):
    """Create or update a user and attach them to ``organization`` with ``role``."""
    role = Role(role)
    grant_check(organization=organization, role=role, granted_by=granted_by)
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        user.is_staff = True
        user.is_active = True
        if password:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.save()
        grant = OrganizationAccess.objects.filter(user=user).first() or OrganizationAccess(
            user=user
        )
        grant.organization = organization
        grant.role = role
        grant.full_clean()
        grant.save()
    access.forget(user)
    return user, created


# --- closing (撤销) and merging ---------------------------------------------------------------

#: Callables ``check(organization) -> [message, ...]`` naming what still keeps an organisation
#: open: ``members`` registers its own at start-up (members, number ranges), which this app may
#: not import.
_closing_checks = []

#: Callables ``step(*, source, target, user)`` moving what ``source`` holds into ``target`` when
#: it merges; ``members`` registers the one for its members, ranges and moves.
_merge_steps = []


def register_closing_check(check):
    """Add ``check`` to what :func:`organization_close` verifies."""
    if check not in _closing_checks:
        _closing_checks.append(check)


def register_merge_step(step):
    """Add ``step`` to what :func:`organization_merge` runs."""
    if step not in _merge_steps:
        _merge_steps.append(step)


def _check_can_close(*, organization, user, on):
    if user is not None and not access.can_delete_organization(user, organization):
        raise ValidationError(_("No such organisation in your scope."))
    if organization.is_root():
        raise ValidationError(_("The provincial committee cannot be closed."))
    if not organization.is_open:
        raise ValidationError(_("%(name)s is already closed.") % {"name": organization.name})
    if on is None:
        raise ValidationError(_("Give the date of closing."))
    if organization.opened_on and on < organization.opened_on:
        raise ValidationError(_("An organisation cannot close before it opened."))


def organization_close_problems(*, organization):
    """What still keeps ``organization`` from closing, each in a sentence; empty when nothing."""
    problems = []
    children = list(
        Organization.objects.children_of(organization).current().values_list("name", flat=True)
    )
    if children:
        problems.append(
            _("%(count)d organisation(s) below it are still open: %(names)s.")
            % {"count": len(children), "names": "、".join(children[:5])}
        )
    for check in _closing_checks:
        problems.extend(check(organization))
    return problems


def _end_cadre_posts(*, organization, on):
    for cadre in Cadre.objects.active().filter(organization=organization):
        cadre.ended_on = max(on, cadre.start_date)
        cadre.full_clean()
        cadre.save(update_fields=["ended_on"])


def organization_close(*, organization, on, reason="", user=None):
    """Close (撤销) ``organization`` on ``on``: it stays in the tree with its history, out of
    pickers and live figures. Refused while anything still needs it (open organisations below
    it, members, number ranges: :func:`organization_close_problems`). Its cadres' posts end."""
    organization.refresh_from_db()
    _check_can_close(organization=organization, user=user, on=on)
    with transaction.atomic():
        problems = organization_close_problems(organization=organization)
        if problems:
            raise ValidationError(
                [_("%(name)s cannot be closed yet.") % {"name": organization.name}, *problems]
            )
        organization.status = Organization.Status.CLOSED
        organization.closed_on = on
        organization.closing_reason = reason
        organization.full_clean(exclude=TREE_FIELDS)
        organization.save(update_fields=["status", "closed_on", "closing_reason"])
        _end_cadre_posts(organization=organization, on=on)
    return organization


def organization_merge(*, organization, into, on, reason="", user=None):
    """Merge ``organization`` into ``into`` on ``on``: its members, number ranges, moves and
    cadres move to ``into`` (each with its history); it stays in the tree, marked merged, so
    that history and past snapshots still name it. Organisations below it must be moved or
    merged first."""
    organization.refresh_from_db()
    into = _fresh(into)
    _check_can_close(organization=organization, user=user, on=on)
    if user is not None and not access.can_manage_organization(user, into):
        raise ValidationError({"into": _("No such organisation in your scope.")})
    if not into.is_open:
        raise ValidationError({"into": _("An organisation cannot merge into a closed one.")})
    if into.path.startswith(organization.path):
        raise ValidationError(
            {"into": _("An organisation cannot merge into itself or an organisation below it.")}
        )
    if organization.is_branch != into.is_branch:
        raise ValidationError(
            {"into": _("A branch merges into a branch, a committee into a committee.")}
        )
    if organization.depth != into.depth:
        raise ValidationError(
            {"into": _("An organisation merges into one at the same level of the tree.")}
        )
    children = Organization.objects.children_of(organization).current()
    if children.exists():
        raise ValidationError(
            _("Organisations below %(name)s are still open: move or merge them first.")
            % {"name": organization.name}
        )
    with transaction.atomic():
        for step in _merge_steps:
            step(source=organization, target=into, user=user)
        surviving_secretary = Cadre.objects.active().secretaries().filter(organization=into)
        for cadre in Cadre.objects.filter(organization=organization):
            if (
                cadre.is_active
                and cadre.position == Cadre.Position.SECRETARY
                and surviving_secretary.exists()
            ):
                # The surviving organisation keeps its own secretary; the other's post ends.
                cadre.ended_on = max(on, cadre.start_date)
            cadre.organization = into
            cadre.save()
        organization.status = Organization.Status.MERGED
        organization.closed_on = on
        organization.closing_reason = reason
        organization.merged_into = into
        organization.full_clean(exclude=TREE_FIELDS)
        organization.save(update_fields=["status", "closed_on", "closing_reason", "merged_into"])
    return organization

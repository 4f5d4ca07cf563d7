"""Who may see and change what.

This module is the only place that decides which organisations — and so which members, number
ranges, reports and exports — a user may see or change. The admin, the views, the exports, the
imports and the management commands all ask it; nothing else filters by user.

A user is attached to one organisation with one role (:class:`branches.models.OrganizationAccess`):

* a branch secretary sees their branch and enters its members;
* committee staff see their organisation's whole subtree, read everything in it and manage
  ranges, explanations, graduation dates and submissions;
* provincial staff (and superusers) see everything.

What lies outside a user's scope does not exist for them: look-ups answer 404, never 403, so that
the difference does not leak.
"""

import enum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from branches.models import Organization, OrganizationAccess, Role


class Capability(enum.StrEnum):
    """Things a role may do inside its scope."""

    ENTER_MEMBERS = "enter_members"
    VIEW_DASHBOARD = "view_dashboard"
    MANAGE_ORGANIZATIONS = "manage_organizations"
    MANAGE_USERS = "manage_users"
    MANAGE_RANGES = "manage_ranges"
    EXPLAIN = "explain"
    SET_GRADUATION = "set_graduation"
    FOLLOW_MOVES = "follow_moves"
    SUBMIT = "submit"
    REVIEW = "review"
    FORWARD_CAMPAIGNS = "forward_campaigns"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    IMPORT_EDUCATION = "import_education"
    READ_EXPORT_LOG = "read_export_log"


_COMMITTEE = frozenset(
    {
        Capability.VIEW_DASHBOARD,
        Capability.MANAGE_ORGANIZATIONS,
        Capability.MANAGE_USERS,
        Capability.MANAGE_RANGES,
        Capability.EXPLAIN,
        Capability.SET_GRADUATION,
        Capability.FOLLOW_MOVES,
        Capability.SUBMIT,
        Capability.REVIEW,
        Capability.FORWARD_CAMPAIGNS,
    }
)

ROLE_CAPABILITIES = {
    Role.SECRETARY: frozenset({Capability.ENTER_MEMBERS}),
    Role.COMMITTEE: _COMMITTEE,
    Role.PROVINCE: frozenset(Capability),
}

_CACHE_ATTR = "_youthleague_access"


def access_of(user):
    """The user's :class:`OrganizationAccess`, or None; cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE_ATTR):
        access = (
            OrganizationAccess.objects.select_related("organization")
            .filter(user_id=user.pk)
            .first()
        )
        setattr(user, _CACHE_ATTR, access)
    return getattr(user, _CACHE_ATTR)


def forget(user):
    """Drop the cached access, after it has been changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def role_of(user):
    """The user's role; superusers act as provincial staff; None for a user with no access."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Role.PROVINCE
    access = access_of(user)
    if access is None or not user.is_active:
        return None
    return Role(access.role)


def home_organization(user):
    """The organisation the user belongs to (the root for a superuser without one)."""
    access = access_of(user)
    if access is not None:
        return access.organization
    if role_of(user) == Role.PROVINCE:
        return Organization.objects.get_first_root_node()
    return None


def sees_everything(user):
    return role_of(user) == Role.PROVINCE


def scope_root(user):
    """The top of the user's subtree, or None when they see everything or nothing."""
    role = role_of(user)
    if role is None or role == Role.PROVINCE:
        return None
    return access_of(user).organization


def in_scope_q(user, via=""):
    """A ``Q`` that keeps rows whose organisation (reached through ``via``) is in scope.

    ``via`` is the lookup from the filtered model to an :class:`Organization`, ending in
    ``__`` (``"branch__"`` for a member), or empty for organisations themselves.
    """
    role = role_of(user)
    if role == Role.PROVINCE:
        return Q()
    if role is None:
        return Q(pk__in=[])
    root = access_of(user).organization
    if role == Role.SECRETARY:
        return Q(**{f"{via}pk": root.pk})
    return Q(**{f"{via}path__startswith": root.path})


def scope_queryset(user, queryset, via=""):
    """Restrict ``queryset`` to rows whose organisation (through ``via``) the user may see."""
    return queryset.filter(in_scope_q(user, via))


def visible_organizations(user):
    """Every organisation the user may see."""
    return scope_queryset(user, Organization.objects.all())


def pickable_organizations(user):
    """Organisations a form may point to: the visible ones still open. Closed and merged
    organisations stay visible (history, admin lists, past figures) but take nothing new."""
    return visible_organizations(user).current()


def is_in_scope(user, organization):
    """Whether the user may see ``organization`` (no query)."""
    role = role_of(user)
    if role == Role.PROVINCE:
        return True
    if role is None or organization is None:
        return False
    root = access_of(user).organization
    if role == Role.SECRETARY:
        return organization.pk == root.pk
    return organization.path.startswith(root.path)


def visible_ancestors(user, organization):
    """The ancestors of ``organization`` the user may open, root first (one query).

    Every breadcrumb is built from this (or :func:`visible_ancestors_of_many` for a list), so
    that none links to a page answering 404.
    """
    return visible_ancestors_of_many(user, [organization])[organization.pk]


def visible_ancestors_of_many(user, organizations):
    """``{pk: [ancestor, ...]}``: :func:`visible_ancestors` for many organisations, one query."""
    paths = {path for organization in organizations for path in organization.ancestor_paths()}
    found = {}
    if paths:
        ancestors = scope_queryset(user, Organization.objects.filter(path__in=paths))
        found = {ancestor.path: ancestor for ancestor in ancestors}
    return {
        organization.pk: [found[p] for p in organization.ancestor_paths() if p in found]
        for organization in organizations
    }


def organization_for(user, code):
    """The organisation with ``code`` if the user may see it; 404 otherwise, whichever it is."""
    organization = Organization.objects.filter(code=code).first() if code else None
    if organization is None or not is_in_scope(user, organization):
        raise Http404("No such organisation.")
    return organization


def requested_organization(user, code=None, capability=None):
    """The organisation a page asks for: ``code`` when given (404 outside the user's scope),
    otherwise the user's own (404 without one); with ``capability``, 403 when the role lacks it.
    """
    organization = organization_for(user, code) if code else home_organization(user)
    if organization is None:
        raise Http404("No organisation.")
    if capability is not None:
        require(user, capability, organization)
    return organization


def can(user, capability, organization=None):
    """Whether the user's role grants ``capability`` and ``organization`` is in their scope."""
    role = role_of(user)
    if role is None or capability not in ROLE_CAPABILITIES[role]:
        return False
    return organization is None or is_in_scope(user, organization)


def require(user, capability, organization=None):
    """Raise 404 for an organisation out of scope, 403 for a missing capability."""
    if organization is not None and not is_in_scope(user, organization):
        raise Http404("No such organisation.")
    if not can(user, capability, organization):
        raise PermissionDenied


def manageable_organizations(user):
    """Organisations whose record the user may edit and a form may point to: committees their
    subtree, province all; closed and merged organisations take nothing new."""
    if not can(user, Capability.MANAGE_ORGANIZATIONS):
        return Organization.objects.none()
    return pickable_organizations(user)


def can_manage_organization(user, organization):
    return can(user, Capability.MANAGE_ORGANIZATIONS, organization)


def can_create_under(user, parent):
    """Whether the user may add a child organisation under ``parent``."""
    if parent is None:
        return sees_everything(user)
    return can(user, Capability.MANAGE_ORGANIZATIONS, parent)


def can_delete_organization(user, organization):
    """Committees delete below themselves, never their own node; provincial staff anything."""
    if not can(user, Capability.MANAGE_ORGANIZATIONS, organization):
        return False
    root = scope_root(user)
    return root is None or organization.pk != root.pk


def grantable_roles(user, organization):
    """Roles the user may give to someone at ``organization``."""
    if not can(user, Capability.MANAGE_USERS, organization):
        return []
    if sees_everything(user):
        return list(Role)
    root = scope_root(user)
    roles = [Role.SECRETARY]
    if organization.pk != root.pk:
        roles.append(Role.COMMITTEE)
    return roles


# --- writes across a scope ----------------------------------------------------------------------


def can_move_member(user, *, held_in, developed_by, into, holder_consented):
    """Whether ``user`` may change a member's branch from ``held_in`` to ``into`` (a report-in).

    Only the receiving side does: ``into`` lies in the user's scope and the role follows moves.
    A developing committee records where its members went, but never takes into its own scope
    a member held by another committee: when the user's scope holds ``developed_by`` and not
    ``held_in``, the holder must have recorded the move itself (``holder_consented``).
    """
    if not can(user, Capability.FOLLOW_MOVES, into):
        return False
    if is_in_scope(user, held_in) or holder_consented:
        return True
    return not is_in_scope(user, developed_by)


def can_attribute_school(user, place):
    """Whether ``user`` may tie a school code counted at ``place`` to an organisation, or untie it.

    ``place`` is where the education department's row of that school is counted: the city it
    names (the root when it names none). Provincial staff re-attribute anything; a committee
    only rows of its own subtree or of the city (never the province) that holds its subtree,
    so that no row leaves another city's reconciliation.
    """
    role = role_of(user)
    if role == Role.PROVINCE:
        return True
    if role is None or place is None or not can(user, Capability.MANAGE_ORGANIZATIONS):
        return False
    if is_in_scope(user, place):
        return True
    return place.depth > 1 and access_of(user).organization.path.startswith(place.path)


# --- ID numbers ---------------------------------------------------------------------------------


def can_propose_status_change(user, branch):
    """Whether the user may record or propose a member's exit from ``branch``: its secretary,
    or committee staff above it."""
    return can(user, Capability.ENTER_MEMBERS, branch) or can(user, Capability.REVIEW, branch)


def can_decide_status_change(user, branch):
    """Whether the user may approve, refuse or reverse an exit of a member of ``branch``: a
    committee above the branch (never the branch's own secretary), or provincial staff."""
    if not can(user, Capability.REVIEW, branch):
        return False
    root = scope_root(user)
    return root is None or root.pk != branch.pk


def status_changes_decidable_q(user, via="member__branch__"):
    """The queryset form of :func:`can_decide_status_change`."""
    if not can(user, Capability.REVIEW):
        return Q(pk__in=[])
    root = scope_root(user)
    condition = in_scope_q(user, via)
    return condition if root is None else condition & ~Q(**{f"{via}pk": root.pk})


def can_record_registration(user, branch):
    """Whether the user may record and submit the yearly registration (团籍注册) of ``branch``:
    its secretary, or committee staff above it (a branch without a secretary of its own)."""
    return can_propose_status_change(user, branch)


def can_certify_registration(user, branch):
    """Whether the user may certify (审核通过) or return the registration of ``branch``: a
    committee above the branch, never the branch itself; provincial staff anything."""
    return can_decide_status_change(user, branch)


def registrations_certifiable_q(user, via="branch__"):
    """The queryset form of :func:`can_certify_registration`."""
    return status_changes_decidable_q(user, via)


def sees_full_id_numbers(user, organization):
    """Whether ``user`` reads whole ID numbers and birth dates of the members of branch
    ``organization``: only those who edit those records (the branch's secretary, provincial
    staff). Everyone else reads the first six and last four characters and the age in years."""
    return can(user, Capability.ENTER_MEMBERS, organization)


def full_id_q(user, via="branch__"):
    """The queryset form of :func:`sees_full_id_numbers`: rows whose branch (through ``via``) the
    user edits, so that searching by the start of an ID number is kept to those rows."""
    if not can(user, Capability.ENTER_MEMBERS):
        return Q(pk__in=[])
    return in_scope_q(user, via)

"""The core of :mod:`branches.access`: the capabilities of each role, a user's organisation and
role, the scope as a ``Q`` and as a queryset, and ``can``/``require``. Callers import
``branches.access``, which re-exports every name here; the rules built on the scope are there."""

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

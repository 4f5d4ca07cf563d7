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

import functools
import operator

from django.db.models import Q
from django.http import Http404

from branches.models import Organization, Role
from branches.scope import (  # noqa: F401  (the scope core; callers import it from here)
    ROLE_CAPABILITIES,
    Capability,
    access_of,
    can,
    forget,
    home_organization,
    in_scope_q,
    is_in_scope,
    pickable_organizations,
    require,
    role_of,
    scope_queryset,
    scope_root,
    sees_everything,
    visible_organizations,
)

# --- records seen through several organisations: each rule in both forms, side by side ---------

#: a member is seen by the scope of their current branch and of their developing organisation
#: (the developer keeps following members who moved away)
MEMBER_ORGANIZATIONS = ("branch", "developing_organization")
#: a move is seen by the member's developing organisation, the branch left and the destination
MOVE_ORGANIZATIONS = ("member__developing_organization", "from_branch", "destination_organization")


def _via(path):
    return f"{path}__" if path else ""


def _follow(record, path):
    """The organisation ``path`` leads to from ``record`` (``record`` itself for ``""``)."""
    for part in path.split("__") if path else ():
        record = getattr(record, part)
        if record is None:
            return None
    return record


def any_in_scope_q(user, paths, via=""):
    """A ``Q`` keeping rows any of whose organisations (each reached by a lookup of ``paths``,
    below ``via``) is in the user's scope."""
    return functools.reduce(operator.or_, (in_scope_q(user, via + _via(path)) for path in paths))


def any_in_scope(user, record, paths):
    """The Python form of :func:`any_in_scope_q`, for one loaded record."""
    return any(is_in_scope(user, _follow(record, path)) for path in paths)


def member_visible_q(user, via=""):
    """Members (reached through ``via``) the user may see: see :data:`MEMBER_ORGANIZATIONS`."""
    return any_in_scope_q(user, MEMBER_ORGANIZATIONS, via)


def can_see_member(user, member):
    """The Python form of :func:`member_visible_q`."""
    return any_in_scope(user, member, MEMBER_ORGANIZATIONS)


def move_visible_q(user, via=""):
    """Moves (reached through ``via``) the user may see: see :data:`MOVE_ORGANIZATIONS`."""
    return any_in_scope_q(user, MOVE_ORGANIZATIONS, via)


def can_see_move(user, move):
    """The Python form of :func:`move_visible_q`."""
    return any_in_scope(user, move, MOVE_ORGANIZATIONS)


#: The sides that sent a move and may withdraw it: its developing organisation and the branch
#: the member left.
MOVE_SENDER_ORGANIZATIONS = ("member__developing_organization", "from_branch")


def move_sender_q(user, via=""):
    """Moves (reached through ``via``) the user sent, as one of :data:`MOVE_SENDER_ORGANIZATIONS`."""
    return any_in_scope_q(user, MOVE_SENDER_ORGANIZATIONS, via)


def is_move_sender(user, move):
    """The Python form of :func:`move_sender_q`."""
    return any_in_scope(user, move, MOVE_SENDER_ORGANIZATIONS)


def visible_ancestors(user, organization):
    """The ancestors of ``organization`` the user may open, root first (one query).

    Every breadcrumb is built from this (or :func:`visible_ancestors_of_many` for a list), so
    that none links to a page answering 404.
    """
    return visible_ancestors_of_many(user, [organization])[organization.pk]


def breadcrumb(user, organization):
    """Every page's breadcrumb: the ancestors the user may open, root first, then the
    organisation itself."""
    return [*visible_ancestors(user, organization), organization]


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

"""Who may act on a move: the developing side, the side holding the member and the receiving
side, each asked of :mod:`branches.access`. ``members.moves.services`` names these too."""

from django.core.exceptions import PermissionDenied

from branches import access

FOLLOW = access.Capability.FOLLOW_MOVES


def can_record_move(user, member):
    """The developing side or the side of the member's current branch."""
    return access.can(user, FOLLOW, member.branch) or access.can(
        user, FOLLOW, member.developing_organization
    )


def is_developing_side(user, move):
    return access.can(user, FOLLOW, move.member.developing_organization)


def holder_consented(move, member=None):
    """Whether the move was recorded by the side holding the member (or by the system)."""
    member = member or move.member
    if move.created_by_id is None:
        return True
    return access.is_in_scope(move.created_by, member.branch)


def is_receiving_side(user, move, branch=None, member=None):
    """Whether ``user`` may confirm ``move``'s report-in (to ``branch``, default the destination),
    which changes the member's branch: see :func:`branches.access.can_move_member`."""
    if not move.is_in_system:
        return False
    member = member or move.member
    return access.can_move_member(
        user,
        held_in=member.branch,
        developed_by=member.developing_organization,
        into=branch or move.destination_organization,
        holder_consented=holder_consented(move, member),
    )


def _require(allowed):
    if not allowed:
        raise PermissionDenied

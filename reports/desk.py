"""The desk's live counts: what waits for the user in their scope, one figure per job.

Each count is one bounded query (the figures come from :mod:`reports.metrics`, grouped over the
tree), so the desk costs the same whatever the size of the user's subtree.
"""

from dataclasses import dataclass

from branches import access
from branches.models import Role
from members.models import Member, Move
from reports.columns import all_groups


@dataclass(frozen=True)
class DeskCounts:
    arrivals_to_confirm: int = 0
    gaps_to_explain: int = 0
    entered_late: int = 0
    moves_overdue: int = 0
    numbers_unaccounted: int = 0


#: The figure groups the desk reads; the others (cadres, status, graduation) it leaves alone.
DESK_GROUPS = ("entries", "ledger", "moves", "schools")


def desk_figures(organization):
    """The figures of ``organization``'s subtree that the desk shows: one grouped query per
    group read, as :func:`reports.metrics.figures_for` computes them."""
    figures = {}
    for slug, group in all_groups():
        if slug not in DESK_GROUPS:
            continue
        row = group.defaults()
        row.update(group.counts(organization, organization.depth).get(organization.path, {}))
        group.derive(row)
        figures.update(row)
    return figures


def committee_counts(user, organization):
    """The counts of a committee's (or the province's) desk for ``organization``'s subtree."""
    figures = desk_figures(organization)
    arrivals = (
        Move.objects.incoming_for(user)
        .filter(destination_organization__path__startswith=organization.path)
        .pending()
        .count()
    )
    return DeskCounts(
        arrivals_to_confirm=arrivals,
        gaps_to_explain=figures.get("schools_unexplained") or 0,
        entered_late=figures.get("entered_late") or 0,
        moves_overdue=figures.get("moved_overdue") or 0,
        numbers_unaccounted=figures.get("numbers_unaccounted") or 0,
    )


def secretary_counts(user, branch):
    """A secretary's count: members of their branch entered after the deadline."""
    late = Member.objects.visible_to(user).entered_late().filter(developing_organization=branch)
    return DeskCounts(entered_late=late.count())


def counts_for(user):
    """The desk counts of ``user``'s role, or None for a user without one."""
    role = access.role_of(user)
    organization = access.home_organization(user)
    if role is None or organization is None:
        return None
    if role == Role.SECRETARY:
        return secretary_counts(user, organization)
    return committee_counts(user, organization)

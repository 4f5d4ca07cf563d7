"""Two-sided transfers (转接) into organisations of the system, counted by the developing
organisation that sent them: how many were sent, how they were answered, and how fast."""

from collections import defaultdict

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from members.models import Move
from members.models.moves import DestinationKind, State
from reports.metrics.base import Figure, FigureGroup, level_key, register

VIA = "developing_organization__"


def _transfers(root):
    return Move.objects.filter(
        **{f"{VIA}path__startswith": root.path},
        destination_kind=DestinationKind.ORGANIZATION,
    )


@register
class TransferFigures(FigureGroup):
    """Moves into the system by their state now: ``transfers_refused`` are those waiting for
    the developing side to resend or close. ``transfers_median_days`` is the median of the days
    from the (last) sending to the confirmation, over the confirmed ones.

    Not summable: a median does not add up, so a parent's figures are its own query.
    """

    summable = False
    figures = (
        Figure("transfers_sent", _("transfers sent")),
        Figure("transfers_confirmed", _("transfers confirmed")),
        Figure("transfers_refused", _("transfers refused")),
        Figure("transfers_expired", _("transfers expired")),
        Figure("transfers_median_days", _("median days to confirm")),
    )

    def defaults(self):
        values = super().defaults()
        values["transfers_median_days"] = None
        return values

    # The counts are kept in roll-ups; the median, which does not add up, is counted at each
    # read over the confirmed transfers only.
    rolled_up = True
    via = "developing_organization"
    touched_by = ("member", "move")

    def rows(self, campaign=None):
        return Move.objects.filter(destination_kind=DestinationKind.ORGANIZATION)

    def stored(self, campaign=None):
        return {
            "transfers_sent": Count("id"),
            "transfers_confirmed": Count("id", filter=Q(state=State.REPORTED)),
            "transfers_refused": Count("id", filter=Q(state=State.REFUSED)),
            "transfers_expired": Count("id", filter=Q(state=State.EXPIRED)),
        }

    def counts(self, root, depth, campaign=None):
        return with_medians(super().counts(root, depth, campaign), root, depth)

    def recount(self, root, depth, campaign=None):
        return with_medians(super().recount(root, depth, campaign), root, depth)


def with_medians(values, root, depth):
    for path, median in medians(root, depth).items():
        values.setdefault(path, {})["transfers_median_days"] = median
    return values


def medians(root, depth):
    """``{path: median days to confirm}`` for the organisations at ``depth``: one query.

    The database numbers each level's confirmed moves by their days (a window per
    organisation) and returns only the middle one or two of each, so the rows that come back
    are at most two per organisation, whatever the number of moves.
    """
    key = level_key(f"{VIA}path", depth)
    middle = (
        _transfers(root)
        .filter(state=State.REPORTED, days_to_confirm__isnull=False)
        .annotate(
            key=key,
            position=Window(RowNumber(), partition_by=[key], order_by=[F("days_to_confirm").asc()]),
            size=Window(Count("id"), partition_by=[key]),
        )
        # Row n of size s is a middle row when s/2 <= n <= s/2 + 1 (one row for odd s, two
        # for even s).
        .filter(position__gte=F("size") / 2.0, position__lte=F("size") / 2.0 + 1)
        .values_list("key", "days_to_confirm")
    )
    found = defaultdict(list)
    for path, days in middle:
        found[path].append(days)
    return {path: _days(sum(days) / len(days)) for path, days in found.items()}


def _days(value):
    """Whole days as an integer, half days (the mean of two middle rows) as 6.5."""
    return int(value) if value == int(value) else round(value, 1)


def transfer_figures_of(organization):
    """``[(figure, value), ...]`` of ``organization``'s own subtree: two queries."""
    group = TransferFigures()
    values = group.defaults()
    values.update(group.counts(organization, organization.depth).get(organization.path, {}))
    return [(figure, values[figure.name]) for figure in group.figures]

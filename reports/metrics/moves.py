"""Moved members (流动团员), counted by the developing organisation, which stays responsible
until they report in."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from members.models import Move
from members.models.moves import State, overdue_q, pending_q
from reports.metrics.base import Figure, FigureGroup, register
from reports.rollups import store


@register
class MoveFigures(FigureGroup):
    """``moved_overdue`` counts by the one overdue rule (:func:`members.models.moves.overdue_q`):
    pending past ``YOUTHLEAGUE["MOVE_OVERDUE_DAYS"]``, or expired without an answer; closed
    moves count in none of the figures."""

    figures = (
        Figure("moved_pending", _("moved, not yet reported")),
        Figure("moved_reported", _("moved and reported")),
        Figure("moved_overdue", _("moved, overdue")),
    )

    rolled_up = True
    via = "developing_organization"
    # A member's change of developing organisation moves its moves along (members.tallies).
    touched_by = ("member", "move")

    def rows(self, campaign=None):
        return Move.objects.all()

    def stored(self, campaign=None):
        return {
            "moved_pending": Count("id", filter=pending_q()),
            "moved_reported": Count("id", filter=Q(state=State.REPORTED)),
            OPEN: Count("id", filter=open_q()),
        }

    def counts(self, root, depth, campaign=None):
        """Overdue depends on today, yet every overdue move is pending or expired (``OPEN``,
        stored): the read takes from the stored open moves those not overdue yet, counted live
        over the few recent pending moves only."""
        values = store.read(root, depth, [*self.shown(campaign), OPEN])
        for row in values.values():
            row.setdefault(OPEN, 0)
        recent = {OVERDUE: pending_q() & ~overdue_q()}
        for path, row in self.grouped_live(root, depth, None, recent, -1).items():
            values.setdefault(path, {OPEN: 0})[OPEN] += row[OVERDUE]
        for row in values.values():
            row[OVERDUE] = row.pop(OPEN)
        return values

    def recount(self, root, depth, campaign=None):
        """Every count straight from the moves, overdue by the one rule."""
        stored = self.stored(campaign)
        aggregates = {name: stored[name] for name in self.shown(campaign)}
        return self.grouped(
            root, depth, None, {**aggregates, OVERDUE: Count("id", filter=overdue_q())}
        )


OVERDUE = "moved_overdue"
#: kept for the overdue count, not shown: moves pending or expired, the only ones that can be
#: overdue (:func:`members.models.moves.overdue_q`)
OPEN = "moved_open"


def open_q():
    return pending_q() | Q(state=State.EXPIRED)

"""Moved members (流动团员), counted by the developing organisation, which stays responsible
until they report in."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from members.models import Move
from members.models.moves import State, overdue_q, pending_q
from reports.metrics.base import Figure, FigureGroup, register


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
        }

    def live(self, campaign=None):
        # Overdue depends on today: counted at each read over the overdue moves only
        # (pending ones past the cut-off date, expired ones), by the state and date index.
        return {"moved_overdue": overdue_q()}

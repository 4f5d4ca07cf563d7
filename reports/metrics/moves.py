"""Moved members (流动团员), counted by the developing organisation, which stays responsible
until they report in."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from members.models import Move
from members.models.moves import PENDING_STATES, State, overdue_q
from reports.metrics.base import Figure, FigureGroup, level_key, register

VIA = "developing_organization__"


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

    def counts(self, root, depth, campaign=None):
        pending = Q(state__in=PENDING_STATES)
        rows = (
            Move.objects.filter(**{f"{VIA}path__startswith": root.path})
            .annotate(key=level_key(f"{VIA}path", depth))
            .values("key")
            .annotate(
                moved_pending=Count("id", filter=pending),
                moved_reported=Count("id", filter=Q(state=State.REPORTED)),
                moved_overdue=Count("id", filter=overdue_q()),
            )
            .order_by()
        )
        return {row.pop("key"): row for row in rows}

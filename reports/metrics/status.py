"""Members in the League now (在团 and 保留团籍), and those reaching 28.

Live figures: a member who left (超龄离团, 自愿退团, 停止团籍, 开除团籍, 去世) counts in neither.
The entry figures (:mod:`reports.metrics.entries`) are not live: a member developed in 2019 who
left in 2024 still counts as developed and entered in 2019.

Counted by current branch, one grouped query per level. ``members_reaching_28`` counts members
in the League who turn 28 within :data:`~members.models.status.REACHING_DAYS` days or already
have, leaving out those holding a cadre post (they keep membership while in post).
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Cadre
from members.models import Member, age_limit_birth_date
from members.models.status import REACHING_DAYS
from reports.metrics.base import Figure, FigureGroup, register


def holds_post():
    """True for a member (the outer row) whose ID number is a cadre's in post."""
    return Exists(Cadre.objects.active().filter(id_number=OuterRef("id_number")))


@register
class StatusFigures(FigureGroup):
    figures = (
        Figure("members_in_league", _("members in the League (active only)")),
        Figure("members_reaching_28", _("members reaching 28 (active, without a post)")),
    )

    rolled_up = True
    via = "branch"
    touched_by = ("member",)

    def rows(self, campaign=None):
        return Member.objects.in_league()

    def stored(self, campaign=None):
        return {"members_in_league": Count("id")}

    def live(self, campaign=None):
        # Depends on today and on the cadres in post: counted at each read.
        cutoff = age_limit_birth_date(timezone.localdate(), REACHING_DAYS)
        return {
            "members_reaching_28": Count("id", filter=Q(birth_date__lte=cutoff) & ~Q(holds_post()))
        }

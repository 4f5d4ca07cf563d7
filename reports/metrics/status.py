"""Members in the League now (在团 and 保留团籍), and those reaching 28.

Live figures: a member who left (超龄离团, 自愿退团, 停止团籍, 开除团籍, 去世) counts in neither.
The entry figures (:mod:`reports.metrics.entries`) are not live: a member developed in 2019 who
left in 2024 still counts as developed and entered in 2019.

Counted by current branch, one grouped query per level. ``members_reaching_28`` counts members
in the League who turn 28 within :data:`~members.models.status.REACHING_DAYS` days or already
have, leaving out those holding a cadre post (they keep membership while in post).
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Cadre
from members.choices import Identity
from members.models import Member, age_limit_birth_date
from members.models.status import REACHING_DAYS
from reports.metrics.base import Figure, FigureGroup, register
from reports.rollups import store


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
    # A cadre taking or leaving a post changes whether members with its ID number count.
    touched_by = ("member", "cadre")

    def rows(self, campaign=None):
        return Member.objects.in_league()

    dated = True

    def periods(self):
        # Read from the count of all members: its rows exist wherever the group has any.
        return [store.anchor("members_in_league") or cutoff()]

    def current_cutoff(self, today=None):
        return cutoff(today)

    def period_name(self, period):
        return period.isoformat() if period is not None else ""

    def stored(self, campaign=None):
        """Kept for an anchor date (the period of the rows): members reaching 28 are those
        born on or before it; :meth:`counts` adds (or takes) the births between the anchor and
        today's cut-off, a few weeks of births, counted at each read."""
        anchor = campaign if isinstance(campaign, date) else self.periods()[0]
        return {
            "members_in_league": Count("id"),
            ANCHORED: Count("id", filter=reaching(anchor)),
            STUDENTS: Count("id", filter=Q(identity=Identity.STUDENT)),
        }

    def counts(self, root, depth, campaign=None):
        anchor = self.periods()[0]
        values = store.read(root, depth, self.shown(anchor), self.period_name(anchor))
        today = cutoff()
        if today == anchor:
            return values
        low, high, sign = (anchor, today, 1) if today > anchor else (today, anchor, -1)
        window = reaching(high) & Q(birth_date__gt=low)
        for path, row in self.grouped_live(root, depth, None, {ANCHORED: window}, sign).items():
            counted = values.setdefault(path, {})
            counted[ANCHORED] = counted.get(ANCHORED, 0) + row[ANCHORED]
        return values

    def recount(self, root, depth, campaign=None):
        return self.grouped(
            root,
            depth,
            None,
            {"members_in_league": Count("id"), ANCHORED: Count("id", filter=reaching(cutoff()))},
        )


ANCHORED = "members_reaching_28"
#: kept for the school lines, not shown: the students in the League of every subtree
STUDENTS = "students_in_league"


def students_in_league(organizations):
    """``{path: students in the League in its subtree}`` of ``organizations`` (a queryset
    or a list of ids),
    read from the roll-ups: one query, plus the anchor's look-up."""
    group = StatusFigures()
    return store.subtree_values(organizations, STUDENTS, group.period_name(group.periods()[0]))


def cutoff(today=None):
    """Members born on or before this day reach 28 within the warning days (today's rule)."""
    return age_limit_birth_date(today or timezone.localdate(), REACHING_DAYS)


def reaching(born_by):
    """In the League (the rows), born on or before ``born_by``, holding no post."""
    return Q(birth_date__lte=born_by) & ~Q(holds_post())

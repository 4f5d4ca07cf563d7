"""Entry of new members: who has been entered, and who was entered on time."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from members.models import OrganizationTally
from reports.metrics.base import Figure, FigureGroup, register


@register
class EntryFigures(FigureGroup):
    """Counted by developing organisation, which is responsible for entry (谁发展，谁录入).

    Summed from each organisation's stored tally (:mod:`members.tallies`), so a province's
    figures read one row per organisation rather than every member.
    """

    figures = (
        Figure("new_members", _("new members entered")),
        Figure("entered_on_time", _("entered on time")),
        Figure("entered_late", _("entered late")),
    )

    rolled_up = True
    via = "organization"
    touched_by = ("member",)

    def rows(self, campaign=None):
        return OrganizationTally.objects.all()

    def stored(self, campaign=None):
        return {name: Sum(name) for name in ("new_members", "entered_on_time", "entered_late")}

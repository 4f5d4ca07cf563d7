"""Entry of new members: who has been entered, and who was entered on time."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from members.models import OrganizationTally
from reports.metrics.base import Figure, FigureGroup, level_key, register

VIA = "organization__"


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

    def counts(self, root, depth, campaign=None):
        rows = (
            OrganizationTally.objects.filter(**{f"{VIA}path__startswith": root.path})
            .annotate(key=level_key(f"{VIA}path", depth))
            .values("key")
            .annotate(
                new_members=Sum("new_members"),
                entered_on_time=Sum("entered_on_time"),
                entered_late=Sum("entered_late"),
            )
            .order_by()
        )
        return {row.pop("key"): row for row in rows}

"""Entry of new members: who has been entered, and who was entered on time."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from members.models import OrganizationTally
from reports.metrics.base import Figure, FigureGroup, register
from reports.rollups import store


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
        sums = {name: Sum(name) for name in ("new_members", "entered_on_time", "entered_late")}
        # Not shown as a figure: the dashboard's count of organisations with late entries.
        # First, so that its filter reads the column, not the sum named like it.
        return {LATE_DEVELOPERS: Count("pk", filter=Q(entered_late__gt=0)), **sums}


#: the organisations of a subtree that entered members late (kept, not shown)
LATE_DEVELOPERS = "organizations_entered_late"


def late_developers(organization):
    """How many organisations of ``organization``'s subtree entered members late: one query."""
    from branches.models import Organization

    found = store.subtree_values(Organization.objects.filter(pk=organization.pk), LATE_DEVELOPERS)
    return found.get(organization.path, 0)

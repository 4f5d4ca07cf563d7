"""Entry of new members: who has been entered, and who was entered on time."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from members.models import Member
from reports.metrics.base import Figure, FigureGroup, level_key, register

VIA = "developing_organization__"


@register
class EntryFigures(FigureGroup):
    """Counted by developing organisation, which is responsible for entry (谁发展，谁录入)."""

    figures = (
        Figure("new_members", _("new members entered")),
        Figure("entered_on_time", _("entered on time")),
        Figure("entered_late", _("entered late")),
    )

    def counts(self, root, depth):
        rows = (
            Member.objects.new_members()
            .filter(**{f"{VIA}path__startswith": root.path, f"{VIA}depth__gte": depth})
            .annotate(key=level_key(f"{VIA}path", depth))
            .values("key")
            .annotate(
                new_members=Count("id"),
                entered_on_time=Count(
                    "id", filter=Q(entry_deadline__isnull=False, entered_late=False)
                ),
                entered_late=Count("id", filter=Q(entered_late=True)),
            )
            .order_by()
        )
        return {row.pop("key"): row for row in rows}

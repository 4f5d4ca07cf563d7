"""The batch look-up's answer (编号去向), as a table: it leaves through the one export path like
every table (logged, prepared by the task worker when large), offered only by its own page."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.numbers import lookup
from spreadsheets.tables import OfficialTable, register


def _lookup_rows(organization, user=None, lines=()):
    return lookup.lookup_rows(lookup.look_up(list(lines), user=user, downloaded=True))


def _lookup_count(organization, user=None, lines=()):
    return min(len(lines), lookup.LOOKUP_LIMIT)


LOOKUP = register(
    OfficialTable(
        kind="lookup",
        title=lambda organization, **options: str(_("Whereabouts of development numbers")),
        columns=lookup.LOOKUP_COLUMNS,
        rows=_lookup_rows,
        count=_lookup_count,
        options=("lines",),
        label=_("Whereabouts of development numbers"),
        public=False,
        stampable=False,
        filename=lambda organization, **options: f"lookup-{timezone.localtime():%Y%m%d-%H%M}",
    )
)

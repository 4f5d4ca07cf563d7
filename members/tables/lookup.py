"""The batch look-up's answer (编号去向), as a table, its columns and rows declared here: it leaves through the one export path like
every table (logged, prepared by the task worker when large), offered only by its own page."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.numbers import lookup
from spreadsheets.tables import OfficialTable, register
from spreadsheets.writer import Column, Kind

LOOKUP_COLUMNS = (
    Column("序号", Kind.INTEGER, 8),
    Column("查询内容", width=22),
    Column("类型", width=14),
    Column("下落", width=20),
    Column("说明", width=40),
)


def lookup_rows(findings):
    """The answer as rows of :data:`LOOKUP_COLUMNS`, one per pasted line."""
    for f in findings:
        yield [f.line, f.text, str(f.kind_label), str(f.whereabouts_label), f.detail]


def _lookup_rows(organization, user=None, lines=()):
    return lookup_rows(lookup.look_up(list(lines), user=user, downloaded=True))


def _lookup_count(organization, user=None, lines=()):
    return min(len(lines), lookup.LOOKUP_LIMIT)


LOOKUP = register(
    OfficialTable(
        kind="lookup",
        title=lambda organization, **options: str(_("Whereabouts of development numbers")),
        columns=LOOKUP_COLUMNS,
        rows=_lookup_rows,
        count=_lookup_count,
        options=("lines",),
        label=_("Whereabouts of development numbers"),
        public=False,
        stampable=False,
        filename=lambda organization, **options: f"lookup-{timezone.localtime():%Y%m%d-%H%M}",
    )
)

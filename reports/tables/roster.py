"""Table 1-1, the roster of new members (新发展团员名册), as an official table.

The columns, the rows and the title live in :mod:`members.tables.roster`, which the roster import reads
too; this module registers them for ``export_report roster`` and the report downloads.
"""

from django.utils.translation import gettext_lazy as _

from members.tables import roster
from reports.tables.base import OfficialTable, register


def _rows(organization, user=None, since=None):
    return roster.roster_rows(roster.roster_queryset(organization, user=user, since=since))


def _count(organization, user=None, since=None):
    return roster.roster_queryset(organization, user=user, since=since).count()


def _title(organization, since=None):
    return roster.roster_title(organization, since=since)


ROSTER = register(
    OfficialTable(
        kind="roster",
        title=_title,
        columns=roster.WRITER_COLUMNS,
        rows=_rows,
        count=_count,
        options=("since",),
        label=_("Roster of new members (table 1-1)"),
    )
)

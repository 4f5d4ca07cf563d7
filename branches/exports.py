"""The tables the branches app hands out, registered with the shared table registry (found by
its discovery), so that they leave through the one export path: logged, and prepared by the task
worker when large."""

from django.utils.translation import gettext_lazy as _

from branches.tables import cadres as cadre_table
from spreadsheets.tables import OfficialTable, register


def _rows(organization, user=None):
    return cadre_table.register_rows(cadre_table.register_queryset(organization, user=user))


def _count(organization, user=None):
    return cadre_table.register_queryset(organization, user=user).count()


CADRES = register(
    OfficialTable(
        kind="cadres",
        title=lambda organization, **options: cadre_table.register_title(organization),
        columns=cadre_table.WRITER_COLUMNS,
        rows=_rows,
        count=_count,
        label=_("Cadre register"),
        stampable=True,
    )
)

"""A dashboard's table as a spreadsheet: one row per organisation directly below, then the total.

Every figure is a column (a spreadsheet hides columns more easily than a page prints them); the
figures are those of the campaign asked for (``campaign``), as on the page.
"""

from collections.abc import Sequence

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from reports.campaigns import default_campaign
from reports.metrics import all_figures, children_and_total
from reports.models import Campaign
from reports.tables.base import OfficialTable, register
from spreadsheets.widgets import SPREADSHEET_LANGUAGE
from spreadsheets.writer import Column, Kind


class FigureColumns(Sequence):
    """组织代码, 组织名称, then one column per registered figure, named in Chinese when read
    (figure groups register at start-up, after this module may have been imported)."""

    def _columns(self):
        with translation.override(SPREADSHEET_LANGUAGE):
            return [
                Column("组织代码", Kind.TEXT, 14),
                Column("组织名称", Kind.TEXT, 30),
                *(
                    Column(str(f.label), Kind.PERCENT if f.is_ratio else Kind.INTEGER, 12)
                    for f in all_figures()
                ),
            ]

    def __getitem__(self, index):
        return self._columns()[index]

    def __len__(self):
        return len(self._columns())


def _campaign(slug):
    campaigns = list(Campaign.objects.active())
    return next((c for c in campaigns if c.slug == slug), None) or default_campaign(campaigns)


def title(organization, for_campaign=None, **options):
    chosen = _campaign(for_campaign)
    suffix = f"（{chosen.year}年{chosen.name}）" if chosen else ""
    return f"{organization.name}下级组织情况{suffix}"


def rows(organization, user=None, for_campaign=None, **options):
    figures = all_figures()
    children, total = children_and_total(organization, _campaign(for_campaign))
    for child, values in children:
        yield [child.code, child.name, *(values.get(f.name) for f in figures)]
    yield ["", "合计", *(total.get(f.name) for f in figures)]


def count(organization, user=None, **options):
    return Organization.objects.children_of(organization).current().count() + 1


DASHBOARD = register(
    OfficialTable(
        kind="dashboard",
        title=title,
        columns=FigureColumns(),
        rows=rows,
        count=count,
        options=("for_campaign",),
        label=_("Dashboard table"),
        stampable=False,
    )
)

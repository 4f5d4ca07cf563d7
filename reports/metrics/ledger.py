"""The number ledger (号号有下落): each organisation's figures over the ranges it holds."""

from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from members.numbers import ledger
from reports.metrics.base import Figure, FigureGroup, Kind, register


@register
class LedgerFigures(FigureGroup):
    """Not summed over the subtree: an organisation's ranges already contain those it handed on.

    Only accountable numbers count: for a campaign the ranges of the years it covers, otherwise
    the ranges of the years that are over (:mod:`members.numbers.ledger`). Numbers of open ranges that
    are not counted show as available.
    """

    summable = False
    figures = (
        Figure("numbers_total", _("numbers in its ranges")),
        Figure("numbers_used", _("numbers used by members")),
        Figure("numbers_explained", _("numbers registered unused")),
        Figure("numbers_unaccounted", _("numbers unaccounted for")),
        Figure("entry_ratio", _("entry ratio"), kind=Kind.RATIO, rankable=True),
        Figure("numbers_available", _("numbers available in open years")),
    )

    def counts(self, root, depth, campaign=None):
        organizations = Organization.objects.filter(path__startswith=root.path, depth=depth)
        return ledger.ledger_by_path(organizations, campaign=campaign)

    def derive(self, values):
        ledger.with_ratio(values)

"""Cadre records (团干部信息): organisations with a secretary on record, and with complete records.

An organisation's cadre records are complete when a 书记 is in post and no cadre in post lacks a
phone or an ID number (:func:`branches.models.cadre_records_complete`). Every organisation counts,
committees and branches alike: each is to have its secretary.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from branches.models import Organization, cadre_records_complete, secretary_on_record
from reports.metrics.base import Figure, FigureGroup, Kind, ratio, register


@register
class CadreFigures(FigureGroup):
    figures = (
        Figure("cadre_organizations", _("organisations expected to have cadres")),
        Figure("organizations_with_secretary", _("organisations with a secretary on record")),
        Figure("organizations_cadres_complete", _("organisations with complete cadre records")),
        Figure(
            "secretary_ratio",
            _("share of organisations with a secretary on record"),
            kind=Kind.RATIO,
            rankable=True,
        ),
        Figure(
            "cadre_complete_ratio",
            _("share of organisations with complete cadre records"),
            kind=Kind.RATIO,
            rankable=True,
        ),
    )

    rolled_up = True
    touched_by = ("organization", "cadre")

    def rows(self, campaign=None):
        return Organization.objects.current()

    def stored(self, campaign=None):
        return {
            "cadre_organizations": Count("id"),
            "organizations_with_secretary": Count("id", filter=Q(secretary_on_record())),
            "organizations_cadres_complete": Count("id", filter=Q(cadre_records_complete())),
        }

    def derive(self, values):
        total = values["cadre_organizations"]
        values["secretary_ratio"] = ratio(values["organizations_with_secretary"], total)
        values["cadre_complete_ratio"] = ratio(values["organizations_cadres_complete"], total)

"""Graduation dates of student class branches (学社衔接 preparation)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from reports.metrics.base import Figure, FigureGroup, Kind, ratio, register

MISSING = Q(graduation_date__isnull=True, no_graduation_reason="")


@register
class GraduationFigures(FigureGroup):
    """A class branch with a stated reason for having no date (teachers, mixed) is neither
    missing nor counted in the ratio."""

    figures = (
        Figure("class_branches_with_date", _("class branches with a graduation date")),
        Figure("class_branches_without_date", _("class branches without a graduation date")),
        Figure("class_branches_exempt", _("class branches with a reason for no date")),
        Figure(
            "graduation_fill_ratio",
            _("graduation date fill ratio"),
            kind=Kind.RATIO,
            rankable=True,
        ),
    )

    rolled_up = True
    touched_by = ("organization",)

    def rows(self, campaign=None):
        return Organization.objects.class_branches().current()

    def stored(self, campaign=None):
        return {
            "class_branches_with_date": Count("id", filter=Q(graduation_date__isnull=False)),
            "class_branches_without_date": Count("id", filter=MISSING),
            "class_branches_exempt": Count("id", filter=~Q(no_graduation_reason="")),
        }

    def derive(self, values):
        with_date = values["class_branches_with_date"]
        values["graduation_fill_ratio"] = ratio(
            with_date, with_date + values["class_branches_without_date"]
        )

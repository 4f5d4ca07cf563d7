"""School reconciliation against the education department's figures (以教统核团统).

The figures use the education figures of the campaign's year (see :func:`reports.schools.year_for`). Each school is placed once (see
:func:`reports.schools.school_lines`) and its figures add up to every organisation above it; the
committee's own gap ratio is derived from its totals, as the notice asks every leading organ to
explain its own gap.
"""

from django.utils.translation import gettext_lazy as _

from reports import schools
from reports.metrics.base import STEP, Figure, FigureGroup, Kind, ratio, register


@register
class SchoolFigures(FigureGroup):
    """A bounded number of queries per level: the latest year, the cities, the education
    rows, the school organisations, and one member count per depth at which schools sit."""

    figures = (
        Figure("schools_total", _("schools")),
        Figure("schools_over_threshold", _("schools with a gap over the threshold")),
        Figure("schools_unexplained", _("schools with an unexplained gap")),
        Figure("schools_missing", _("schools left out whole")),
        Figure("school_education_count", _("student members counted by education")),
        Figure("school_league_count", _("student members counted by the league")),
        Figure(
            "school_gap_ratio",
            _("school member count gap"),
            kind=Kind.RATIO,
            rankable=True,
            better="lower",
        ),
    )

    def counts(self, root, depth, campaign=None):
        year = schools.year_for(campaign)
        if year is None:
            return {}
        length = depth * STEP
        result = {}
        for line in schools.school_lines(root, year):
            # A school absent from the tree may be placed above this level: it is keyed by
            # that organisation's own path.
            row = result.setdefault(line.owner_path[:length], self.defaults())
            row["schools_total"] += 1
            row["schools_over_threshold"] += line.is_over_threshold
            row["schools_unexplained"] += line.needs_explanation
            row["schools_missing"] += line.is_omission
            row["school_education_count"] += line.education or 0
            row["school_league_count"] += line.league
        return result

    def derive(self, values):
        education = values["school_education_count"]
        gap = abs(values["school_league_count"] - education)
        values["school_gap_ratio"] = ratio(gap, education)

"""School reconciliation (以教统核团统): the league's count of each school against the education
department's (:mod:`.lines`), the gap arithmetic (:mod:`.gaps`) and the explanations that gaps
above the threshold call for (:mod:`.explanations`)."""

from .explanations import (
    ExplanationTarget,
    can_explain,
    committee_target,
    explanation_history,
    explanation_save,
    school_target,
)
from .gaps import DEFAULT_GAP_THRESHOLD, city_key, gap_ratio, gap_threshold, over_threshold
from .lines import (
    PRIVATE,
    PUBLIC,
    Reconciliation,
    SchoolLine,
    Summary,
    education_years,
    latest_year,
    league_counts,
    reconciliation,
    school_lines,
    summarize,
    unmatched_schools,
    year_for,
)

__all__ = [
    "DEFAULT_GAP_THRESHOLD",
    "PRIVATE",
    "PUBLIC",
    "ExplanationTarget",
    "Reconciliation",
    "SchoolLine",
    "Summary",
    "can_explain",
    "city_key",
    "committee_target",
    "education_years",
    "explanation_history",
    "explanation_save",
    "gap_ratio",
    "gap_threshold",
    "latest_year",
    "league_counts",
    "over_threshold",
    "reconciliation",
    "school_lines",
    "school_target",
    "summarize",
    "unmatched_schools",
    "year_for",
]

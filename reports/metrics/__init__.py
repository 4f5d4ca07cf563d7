"""Compliance figures for any level of the tree; see :mod:`reports.metrics.base`.

``ReportsConfig.ready`` registers every figure group, in the order their columns appear; this
package itself only names the registry's functions, so that the models can ask it for the
rankable figures without importing the figures (which count the models).
"""

from reports.metrics.base import (  # noqa: F401
    Figure,
    FigureGroup,
    Kind,
    all_figures,
    children_and_total,
    compute_level,
    figure,
    figures_for,
    figures_for_children,
    figures_shown,
    groups,
    rankable_choices,
    ratio,
)

"""Compliance figures for any level of the tree; see :mod:`reports.metrics.base`.

Importing this package registers every figure group, in the order their columns appear.
"""

from reports.metrics import entries, graduation, ledger, moves, schools, transfers  # noqa: F401

# isort: split
from reports.metrics import (
    cadres,  # noqa: F401  (registration, after the others)
    status,  # noqa: F401  (registration, after the cadres)
)

# isort: split
from reports.metrics import registration  # noqa: F401  (only for registration years)
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

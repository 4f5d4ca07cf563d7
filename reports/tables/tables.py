"""Importing this module registers every official table with :mod:`reports.tables.base`."""

from reports.tables import (  # noqa: F401
    breakdown,
    dashboard,
    ranking,
    roster,
    school_counts,
    statistics,
    unused_numbers,
)

"""Importing this module registers every official table with :mod:`reports.tables.base`."""

from reports.tables import (  # noqa: F401
    dashboard,
    ranking,
    roster,
    school_counts,
    unused_numbers,
)

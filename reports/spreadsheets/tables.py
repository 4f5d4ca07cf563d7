"""Importing this module registers every official table with :mod:`reports.spreadsheets.base`."""

from reports.spreadsheets import (  # noqa: F401
    breakdown,
    ranking,
    roster,
    school_counts,
    statistics,
    unused_numbers,
)

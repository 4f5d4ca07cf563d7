"""Importing this module registers every official table with :mod:`reports.spreadsheets.base`."""

from reports.spreadsheets import (  # noqa: F401
    dashboard,
    ranking,
    roster,
    school_counts,
    unused_numbers,
)

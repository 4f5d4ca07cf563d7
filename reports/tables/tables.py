"""Importing this module registers every official table with :mod:`reports.tables.base`."""

from reports.tables import ranking, roster, school_counts, unused_numbers  # noqa: F401

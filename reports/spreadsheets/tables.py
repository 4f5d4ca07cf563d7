"""Importing this module registers every official table with :mod:`reports.spreadsheets.base`."""

from reports.spreadsheets import ranking, roster, school_counts, unused_numbers  # noqa: F401

"""Registers the reports app's official tables (found by the shared registry's discovery)."""

from reports.tables import tables  # noqa: F401

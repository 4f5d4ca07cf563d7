"""Registers the reports app's official tables (found by the shared registry's discovery)."""

from reports.registration import importing  # noqa: F401  (the registration sheet)
from reports.tables import tables  # noqa: F401

"""The reports app's view of the shared table registry (:mod:`spreadsheets.tables`).

A table module (one per official table: ``roster``, ``unused_numbers``, ``school_counts``, ...)
defines an :class:`OfficialTable` and registers it; ``reports/exports.py`` imports them all.
"""

from spreadsheets.tables import (  # noqa: F401  (the shared registry)
    TABLES,
    OfficialTable,
    get_table,
    register,
    table_kinds,
)


def write_table(table, organization, target, *, user=None, **options):
    """Write ``table`` for ``organization`` to ``target``; returns the number of data rows.

    A shorthand for :func:`reports.submissions.exporting.export_write`, which also stamps and logs.
    """
    from reports.submissions.exporting import export_write

    result = export_write(
        table=table, organization=organization, target=target, user=user, **options
    )
    return result.rows

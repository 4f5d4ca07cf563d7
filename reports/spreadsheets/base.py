"""What every official table module provides, and the registry ``export_report`` reads.

A table module (one per official table: ``roster``, ``unused_numbers``, ``school_counts``, ...)
defines an :class:`OfficialTable` and registers it. Rows come from one scoped queryset with
``select_related``/annotations, never a query per row, and stream into the shared writer.
"""

from dataclasses import dataclass, field

TABLES = {}


@dataclass(frozen=True)
class OfficialTable:
    """One official spreadsheet: its kind (the command's name for it), title and columns.

    ``rows(organization, user=None, **options)`` yields one list of cell values per record,
    in column order, restricted to ``organization``'s subtree and to ``user``'s scope.
    ``count`` answers how many rows ``rows`` would give, for progress and for deciding when an
    export is large enough to run in the background.
    """

    kind: str
    title: object  # callable(organization, **options) -> str
    columns: tuple
    rows: object
    count: object
    options: tuple = field(default=())  # option names the table accepts (e.g. "since")
    label: object = ""


def register(table):
    TABLES[table.kind] = table
    return table


def get_table(kind):
    # Importing the modules registers them.
    from reports.spreadsheets import tables  # noqa: F401

    return TABLES[kind]


def table_kinds():
    from reports.spreadsheets import tables  # noqa: F401

    return sorted(TABLES)


def write_table(table, organization, target, *, user=None, **options):
    """Write ``table`` for ``organization`` to ``target``; returns the number of data rows.

    A shorthand for :func:`reports.exporting.export_write`, which also stamps and logs.
    """
    from reports.exporting import export_write

    result = export_write(
        table=table, organization=organization, target=target, user=user, **options
    )
    return result.rows

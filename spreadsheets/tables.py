"""The registry of the tables that leave the system as files, and what each one provides.

A table is registered by an ``exports`` module of its app (``members/exports.py``,
``reports/exports.py``), which :func:`get_table` imports on first use, in the web process and in
the task worker alike. Rows come from one scoped queryset with ``select_related``/annotations,
never a query per row, and stream into the shared writer.
"""

from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

TABLES = {}


@dataclass(frozen=True)
class OfficialTable:
    """One spreadsheet: its kind (its name in the export log), title and columns.

    ``rows(organization, user=None, **options)`` yields one list of cell values per record,
    in column order, restricted to ``organization``'s subtree and to ``user``'s scope.
    ``count`` answers how many rows ``rows`` would give, for progress and for deciding when an
    export is large enough to run in the background. Options must be JSON values: a background
    export stores them on its job.

    ``public`` tables are the official ones anyone in scope may ask for by kind (the download
    pages, ``export_report``); the others (a look-up's answer, a class's template) are offered
    only by their own page, which checks what the user asked for before it exports.
    ``stampable`` says whether the table may carry the issuing block and the seal.
    """

    kind: str
    title: object  # callable(organization, **options) -> str
    columns: tuple
    rows: object
    count: object
    options: tuple = field(default=())  # option names the table accepts (e.g. "since")
    label: object = ""
    public: bool = True
    stampable: bool = True
    filename: object = None  # callable(organization, **options) -> str, without ".xlsx"


def register(table):
    TABLES[table.kind] = table
    return table


def _discover():
    autodiscover_modules("exports")


def get_table(kind):
    """The registered table ``kind`` (``KeyError`` when there is none)."""
    _discover()
    return TABLES[kind]


def table_kinds():
    """The kinds of the public tables, sorted."""
    _discover()
    return sorted(kind for kind, table in TABLES.items() if table.public)

"""Reading uploaded spreadsheets safely.

Every upload (each importer, and the stamped tables sent to ``/reports/verify/``) passes
:func:`check_upload` before anything parses it: the file must be an unencrypted ``.xlsx``,
``.xls``, ``.ods`` or ``.csv`` (its kind read from its bytes, ``formats``) within
``UPLOAD_LIMITS`` (its size; for the zip containers of ``.xlsx`` and ``.ods``, the number of
parts, each part's decompressed size, both as the zip directory declares it and as counted while
inflating, and its compression ratio), and every XML part must be well formed. python-calamine
then reads ``.xls``, ``.ods`` and an ``.xlsx`` up to ``FAST_READER_MAX_BYTES`` (about ten times
faster, holding the sheet in memory); a larger ``.xlsx`` streams through openpyxl in read-only
mode with defusedxml present, row by row. :func:`iter_table` yields the rows as they stream and stops at the row
limit, so memory does not grow with the file. The header row is found by its cells in the first
rows of the first visible sheet that has one (``headers``: white space ignored, aliases known,
unknown columns ignored and listed), and every data row keeps the row number that Excel shows,
so errors can name it.
"""

import itertools
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from xml.etree.ElementTree import ParseError

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.escape import unescape
from openpyxl.xml import DEFUSEDXML

from spreadsheets.formats import (
    FormatError,
    Sheet,
    calamine_sheets,
    csv_sheets,
)
from spreadsheets.guards import (  # noqa: F401
    DEFAULT_LIMITS,
    SpreadsheetError,
    _damaged,
    _open,
    _size,
    check_upload,
    limit,
)
from spreadsheets.headers import HEADER_SEARCH_ROWS, HeaderError, HeaderFinder

ROW_NUMBER = "__row__"


@dataclass
class Table:
    """The rows of one sheet under a known header."""

    columns: list
    header_row: int
    rows: list = field(default_factory=list)  # (excel_row_number, {column: value})
    ignored: list = field(default_factory=list)  # header cells of columns the table lacks

    def __len__(self):
        return len(self.rows)


def clean_value(value):
    """Cell values as importers expect them: text stripped, dates as dates, empties as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "_x" in value:
            # OOXML escapes control characters as _xHHHH_; openpyxl leaves them escaped.
            value = unescape(value)
        return value.strip()
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    return value


# --- the rows ---------------------------------------------------------------------------------


def _guarded(rows):
    """``(number, values)`` of a sheet, cut to the column limit; damaged XML becomes a
    :class:`SpreadsheetError`."""
    max_columns = limit("MAX_COLUMNS")
    while True:
        try:
            number, values = next(rows)
        except StopIteration:
            return
        except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:
            raise _damaged() from exc
        values = list(values)
        if len(values) > max_columns and any(v not in (None, "") for v in values[max_columns:]):
            raise SpreadsheetError(
                _("The sheet has more than %(limit)d columns.") % {"limit": max_columns}
            )
        yield number, values[:max_columns]


def _xlsx_sheets(handle):
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _damaged() from exc
    try:
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            yield Sheet(sheet.title, enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _sheets(handle, kind):
    if kind == "xlsx" and _size(handle) > limit("FAST_READER_MAX_BYTES"):
        return _xlsx_sheets(handle)
    if kind == "csv":
        return csv_sheets(handle)
    return calamine_sheets(handle)


class TableRows:
    """The data rows under the table's header, read as they stream (see :func:`iter_table`).

    Iterating yields ``(excel_row_number, {column: value})``; ``columns``, ``header_row`` and
    ``ignored`` are known once the object exists, ``count`` grows as rows are read.
    """

    def __init__(self, header, head, rows, *, on_row=None, closers=()):
        self._positions = header.positions
        self.columns = [name for _i, name in header.positions]
        self.ignored = list(header.ignored)
        self.header_row = head[header.index][0]
        self._head = head[header.index + 1 :]
        self._rows = rows
        self._on_row = on_row
        self._closers = closers
        self.count = 0

    def __iter__(self):
        max_rows = limit("MAX_ROWS")
        try:
            for number, values in itertools.chain(self._head, self._rows):
                yield from self._record(number, values, max_rows)
        finally:
            self.close()
        if not self.count:
            raise SpreadsheetError(_("The sheet has a header row but no data rows."))

    def _record(self, number, values, max_rows):
        record = {
            name: clean_value(values[i]) if i < len(values) else "" for i, name in self._positions
        }
        if all(v == "" for v in record.values()):
            return
        self.count += 1
        if self.count > max_rows:
            raise SpreadsheetError(
                _("The sheet has more than %(limit)d rows; split it into several files.")
                % {"limit": max_rows}
            )
        if self._on_row is not None:
            self._on_row(self.count)
        yield number, record

    def close(self):
        for close in self._closers:
            close()
        self._closers = ()


def iter_table(file, columns, required=None, aliases=None, *, on_row=None):
    """The table in an uploaded spreadsheet as :class:`TableRows`, read as it streams.

    ``file`` is a path, bytes or a file object of an ``.xlsx``, ``.xls``, ``.ods`` or ``.csv``
    file; ``columns`` are every column the table may have, ``required`` those that must be
    present (all of them by default), ``aliases`` other names of the columns (alias -> column);
    ``on_row(count)`` is called for every data row read. The header is looked for in the first
    rows of each visible sheet in turn (an instructions sheet may come first). Raises
    :class:`SpreadsheetError` with a message for the user when the file cannot be used, before
    the first row or while iterating.
    """
    if not DEFUSEDXML:  # pragma: no cover - a broken installation, not a user error
        raise RuntimeError("defusedxml must be installed before reading uploaded workbooks")
    kind = check_upload(file)
    handle, owned = _open(file)
    sheets = _sheets(handle, kind)
    closers = [sheets.close, *([handle.close] if owned else [])]
    try:
        finder = HeaderFinder(columns, columns if required is None else required, aliases)
        held_data = False
        for sheet in sheets:
            rows = _guarded(iter(sheet.rows))
            head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
            held_data = held_data or any(any(clean_value(v) != "" for v in r) for _n, r in head)
            for index, (_number, values) in enumerate(head):
                header = finder.match(index, [clean_value(v) for v in values])
                if header is not None:
                    return TableRows(header, head, rows, on_row=on_row, closers=closers)
    except (FormatError, HeaderError) as exc:
        _close_all(closers)
        raise SpreadsheetError(str(exc)) from exc
    except BaseException:
        _close_all(closers)
        raise
    _close_all(closers)
    if not held_data:
        raise SpreadsheetError(_("The sheet is empty."))
    raise SpreadsheetError(finder.failure())


def _close_all(closers):
    for close in closers:
        close()


def read_table(file, columns, required=None, aliases=None):
    """The table in an uploaded spreadsheet as a :class:`Table` held in memory.

    For small tables; importers stream with :func:`iter_table` instead.
    """
    rows = iter_table(file, columns, required, aliases)
    table = Table(columns=rows.columns, header_row=rows.header_row, ignored=rows.ignored)
    table.rows.extend(rows)
    return table


def as_text(value):
    """A cell as text, for codes: a whole number typed into a cell loses its '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).strip() if value is not None else ""

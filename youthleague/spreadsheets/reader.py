"""Reading uploaded spreadsheets safely.

Every importer reads its file through :func:`read_table`: an unencrypted ``.xlsx``, ``.xls``,
``.ods`` or ``.csv`` file of bounded size (``formats``); openpyxl parses ``.xlsx`` in read-only
mode with defusedxml present, so hostile XML cannot expand. The header row is found by its cells
in the first rows of the first sheet that has one (``headers``), and every data row keeps the row
number that Excel shows, so errors can name it.
"""

import io
import itertools
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.escape import unescape
from openpyxl.xml import DEFUSEDXML

from youthleague.spreadsheets.formats import (
    FormatError,
    Sheet,
    calamine_sheets,
    csv_sheets,
    kind_of,
)
from youthleague.spreadsheets.headers import HEADER_SEARCH_ROWS, HeaderError, HeaderFinder

# Limits for one uploaded file; generous for a province's roster, tight for a zip bomb.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 60

ROW_NUMBER = "__row__"


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


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


def _check_container(data, kind):
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_FILE_BYTES // 2**20}
        )
    if kind == "xls" and "EncryptedPackage".encode("utf-16-le") in data:
        raise SpreadsheetError(
            _("The file is password-protected. Remove the password and save it again.")
        )
    if kind in ("xlsx", "ods"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
                raise SpreadsheetError(_("The workbook expands to more data than can be imported."))


def _xlsx_sheets(data):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise SpreadsheetError(_("The workbook cannot be opened: it is damaged.")) from exc
    try:
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            yield Sheet(sheet.title, enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _sheets(data, kind):
    if kind == "xlsx":
        return _xlsx_sheets(data)
    if kind == "csv":
        return csv_sheets(data)
    return calamine_sheets(data)


def _data_rows(rows, positions):
    """Records of the rows below the header that hold data, counted as they stream."""
    count = 0
    for number, values in rows:
        if len(values) > MAX_COLUMNS and any(v not in (None, "") for v in values[MAX_COLUMNS:]):
            raise SpreadsheetError(
                _("The sheet has more than %(limit)d columns.") % {"limit": MAX_COLUMNS}
            )
        record = {name: clean_value(values[i]) if i < len(values) else "" for i, name in positions}
        if all(v == "" for v in record.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            raise SpreadsheetError(
                _("The sheet has more than %(limit)d rows; split it into several files.")
                % {"limit": MAX_ROWS}
            )
        yield number, record


def read_table(file, columns, required=None, aliases=None):
    """Read the first sheet that holds the table's header into a :class:`Table`.

    ``file`` is a path, bytes or a file object of an ``.xlsx``, ``.xls``, ``.ods`` or ``.csv``
    file; ``columns`` are every column the table may have, ``required`` those that must be
    present (all of them by default), ``aliases`` other names of the columns (alias -> column).
    The header is looked for in the first rows of each visible sheet in turn (an instructions
    sheet may come first); columns the table does not know are ignored and listed in
    ``Table.ignored``. Raises :class:`SpreadsheetError` with a message for the user when the
    file cannot be used.
    """
    if not DEFUSEDXML:  # pragma: no cover - a broken installation, not a user error
        raise RuntimeError("defusedxml must be installed before reading uploaded workbooks")
    data = _read_bytes(file)
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    try:
        kind = kind_of(data)
        _check_container(data, kind)
        finder = HeaderFinder(columns, columns if required is None else required, aliases)
        held_data = False
        for sheet in _sheets(data, kind):
            rows = iter(sheet.rows)
            head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
            held_data = held_data or any(any(clean_value(v) != "" for v in r) for _n, r in head)
            header = None
            for index, (_number, values) in enumerate(head):
                header = finder.match(index, [clean_value(v) for v in values[:MAX_COLUMNS]])
                if header is not None:
                    break
            if header is None:
                continue
            table = Table(
                columns=[name for _i, name in header.positions],
                header_row=head[header.index][0],
                ignored=header.ignored,
            )
            below = itertools.chain(head[header.index + 1 :], rows)
            table.rows.extend(_data_rows(below, header.positions))
            if not table.rows:
                raise SpreadsheetError(_("The sheet has a header row but no data rows."))
            return table
    except (FormatError, HeaderError) as exc:
        raise SpreadsheetError(str(exc)) from exc
    if not held_data:
        raise SpreadsheetError(_("The sheet is empty."))
    raise SpreadsheetError(finder.failure())


def _read_bytes(file):
    if isinstance(file, bytes):
        return file
    if isinstance(file, str) or hasattr(file, "__fspath__"):
        with open(file, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(MAX_FILE_BYTES + 1)


def as_text(value):
    """A cell as text, for codes: a whole number typed into a cell loses its '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).strip() if value is not None else ""

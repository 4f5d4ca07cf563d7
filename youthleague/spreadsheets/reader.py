"""Reading uploaded spreadsheets safely.

Every importer reads its file through :func:`read_table`: the file must be a real, unencrypted
``.xlsx`` of bounded size; openpyxl parses it in read-only mode with defusedxml present, so hostile
XML cannot expand. The first sheet may start with a title row; the header row is found by its
cells, and every data row keeps the row number that Excel shows, so errors can name it.
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.escape import unescape
from openpyxl.xml import DEFUSEDXML

# Limits for one uploaded file; generous for a province's roster, tight for a zip bomb.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 5

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ROW_NUMBER = "__row__"


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class Table:
    """The rows of one sheet under a known header."""

    columns: list
    header_row: int
    rows: list = field(default_factory=list)  # (excel_row_number, {column: value})

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


def _check_container(data):
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_FILE_BYTES // 2**20}
        )
    if data.startswith(OLE2_SIGNATURE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise SpreadsheetError(
                _("The file is password-protected. Remove the password and save it as .xlsx.")
            )
        raise SpreadsheetError(
            _("This is an old .xls file. Open it in Excel and save it as .xlsx.")
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(_("The file is not an Excel .xlsx workbook."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise SpreadsheetError(_("The file is not an Excel .xlsx workbook."))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
            raise SpreadsheetError(_("The workbook expands to more data than can be imported."))


def _find_header(rows, columns, required):
    known = set(columns)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [clean_value(v) for v in row]
        names = [c for c in cells if c != ""]
        if names and all(isinstance(n, str) for n in names) and required <= set(names):
            unknown = [n for n in names if n not in known]
            if unknown:
                raise SpreadsheetError(
                    _("Unknown column(s) in the header row: %(names)s. Expected: %(expected)s.")
                    % {"names": "、".join(unknown), "expected": "、".join(columns)}
                )
            duplicates = sorted({n for n in names if names.count(n) > 1})
            if duplicates:
                raise SpreadsheetError(
                    _("Column(s) appear twice in the header row: %(names)s.")
                    % {"names": "、".join(duplicates)}
                )
            return index, cells
    raise SpreadsheetError(
        _("No header row found in the first %(n)d rows. It must contain the columns: %(expected)s.")
        % {"n": HEADER_SEARCH_ROWS, "expected": "、".join(c for c in columns if c in required)}
    )


def read_table(file, columns, required=None):
    """Read the first sheet of an uploaded ``.xlsx`` into a :class:`Table`.

    ``file`` is a path, bytes or a file object; ``columns`` are every column the table may
    have, ``required`` those that must be present (all of them by default). Raises
    :class:`SpreadsheetError` with a message for the user when the file cannot be used.
    """
    if not DEFUSEDXML:  # pragma: no cover - a broken installation, not a user error
        raise RuntimeError("defusedxml must be installed before reading uploaded workbooks")
    data = _read_bytes(file)
    _check_container(data)
    required = set(columns if required is None else required)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise SpreadsheetError(_("The workbook cannot be opened: it is damaged.")) from exc
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        raw = []
        for values in sheet.iter_rows(values_only=True):
            if len(raw) >= MAX_ROWS + HEADER_SEARCH_ROWS:
                raise SpreadsheetError(
                    _("The sheet has more than %(limit)d rows; split it into several files.")
                    % {"limit": MAX_ROWS}
                )
            if len(values) > MAX_COLUMNS and any(v not in (None, "") for v in values[MAX_COLUMNS:]):
                raise SpreadsheetError(
                    _("The sheet has more than %(limit)d columns.") % {"limit": MAX_COLUMNS}
                )
            raw.append(values[:MAX_COLUMNS])
    finally:
        workbook.close()
    if not any(any(clean_value(v) != "" for v in row) for row in raw):
        raise SpreadsheetError(_("The sheet is empty."))
    header_index, header = _find_header(raw, columns, required)
    positions = [(i, name) for i, name in enumerate(header) if name != ""]
    table = Table(columns=[name for _, name in positions], header_row=header_index + 1)
    for offset, values in enumerate(raw[header_index + 1 :], start=header_index + 2):
        record = {name: clean_value(values[i]) if i < len(values) else "" for i, name in positions}
        if all(v == "" for v in record.values()):
            continue
        table.rows.append((offset, record))
    if not table.rows:
        raise SpreadsheetError(_("The sheet has a header row but no data rows."))
    return table


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

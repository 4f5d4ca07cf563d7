"""Reading uploaded spreadsheets safely.

Every upload (each importer, and the stamped tables sent to ``/reports/verify/``) passes
:func:`check_upload` before anything parses it: the file must be a real, unencrypted ``.xlsx``
within ``UPLOAD_LIMITS`` (its size, the number of parts of its zip container, each part's
decompressed size, both as the zip directory declares it and as counted while inflating, and its
compression ratio), and every XML part must be well formed. openpyxl then reads the first sheet
in read-only mode with defusedxml present, row by row: :func:`iter_table` yields the rows as they
stream and stops at the row limit, so memory does not grow with the file. The first sheet may
start with a title row; the header row is found by its cells, and every data row keeps the row
number that Excel shows, so errors can name it.
"""

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils.escape import unescape
from openpyxl.xml import DEFUSEDXML

# Defaults of settings.UPLOAD_LIMITS; generous for a province's roster, tight for a zip bomb.
DEFAULT_LIMITS = {
    # the uploaded file itself
    "MAX_FILE_BYTES": 50 * 2**20,
    # parts (files) inside the zip container; a workbook has a few dozen
    "MAX_PARTS": 500,
    # one part, decompressed; and all parts together
    "MAX_PART_BYTES": 512 * 2**20,
    "MAX_TOTAL_BYTES": 640 * 2**20,
    # decompressed / compressed size of a part larger than RATIO_FLOOR_BYTES; real sheets
    # compress about 5 to 30 times, a zip bomb hundreds or thousands of times
    "MAX_RATIO": 100,
    "RATIO_FLOOR_BYTES": 2**20,
    # data rows and columns of the sheet read
    "MAX_ROWS": 200_000,
    "MAX_COLUMNS": 60,
}
HEADER_SEARCH_ROWS = 5
CHUNK = 256 * 1024

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ROW_NUMBER = "__row__"


def limit(name):
    """One upload limit: ``settings.UPLOAD_LIMITS[name]`` or its default."""
    return {**DEFAULT_LIMITS, **getattr(settings, "UPLOAD_LIMITS", {})}[name]


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


# --- the container ----------------------------------------------------------------------------


def _damaged():
    return SpreadsheetError(
        _(
            "The workbook is damaged (incomplete or corrupt). Open it in Excel, save it again as .xlsx and upload that file."
        )
    )


def _too_large_when_expanded():
    return SpreadsheetError(
        _("The workbook expands to more data than can be imported (a possible zip bomb).")
    )


def _open(file):
    """A binary file object over ``file`` (a path, bytes or a file object), and whether we own it."""
    if isinstance(file, (bytes, bytearray)):
        return io.BytesIO(file), True
    if isinstance(file, str) or hasattr(file, "__fspath__"):
        return open(file, "rb"), True
    path = getattr(file, "temporary_file_path", None)
    if path is not None:
        return open(path(), "rb"), True
    if hasattr(file, "seek"):
        file.seek(0)
    return file, False


def _size(handle):
    position = handle.tell()
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(position)
    return size


def _check_xml(archive, info, counted):
    """Inflate one part, counting its bytes, and parse it when it is XML; returns its size."""
    parser = None
    if info.filename.endswith((".xml", ".rels", ".vml")):
        parser = expat.ParserCreate()

        def refuse_doctype(*args):
            # Office never writes a DTD; one here can only be an attack on the parser.
            raise _damaged()

        parser.StartDoctypeDeclHandler = refuse_doctype
    size = 0
    part_limit = min(info.file_size, limit("MAX_PART_BYTES"))
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > part_limit or counted + size > limit("MAX_TOTAL_BYTES"):
                raise _too_large_when_expanded()
            if parser is not None:
                parser.Parse(chunk, False)
    if parser is not None:
        parser.Parse(b"", True)
    return size


def _check_zip(handle):
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SpreadsheetError(_("The file is not an Excel .xlsx workbook.")) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limit("MAX_PARTS"):
            raise SpreadsheetError(
                _("The workbook has more than %(limit)d parts; it cannot be an ordinary table.")
                % {"limit": limit("MAX_PARTS")}
            )
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise SpreadsheetError(_("The file is not an Excel .xlsx workbook."))
        declared = 0
        for info in infos:
            declared += info.file_size
            ratio_applies = info.file_size > limit("RATIO_FLOOR_BYTES")
            if (
                info.file_size > limit("MAX_PART_BYTES")
                or declared > limit("MAX_TOTAL_BYTES")
                or (
                    ratio_applies
                    and info.file_size > limit("MAX_RATIO") * max(info.compress_size, 1)
                )
            ):
                raise _too_large_when_expanded()
        # The directory can lie: inflate every part, counting, and stop at the limits.
        counted = 0
        try:
            for info in infos:
                counted += _check_xml(archive, info, counted)
        except SpreadsheetError:
            raise
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            expat.ExpatError,
            ValueError,
            RuntimeError,  # an encrypted part
        ) as exc:
            raise _damaged() from exc
        except NotImplementedError as exc:  # an unsupported compression method
            raise SpreadsheetError(_("The file is not an Excel .xlsx workbook.")) from exc


def check_upload(file):
    """Refuse, with a message for the user, a file that is not a bounded, sound ``.xlsx``.

    ``file`` is a path, bytes, or a file object (an upload); nothing is read into memory
    beyond a chunk at a time. Raises :class:`SpreadsheetError`.
    """
    handle, owned = _open(file)
    try:
        size = _size(handle)
        if size == 0:
            raise SpreadsheetError(_("The file is empty."))
        if size > limit("MAX_FILE_BYTES"):
            raise SpreadsheetError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": limit("MAX_FILE_BYTES") // 2**20}
            )
        start = handle.read(4096)
        handle.seek(0)
        if start.startswith(OLE2_SIGNATURE):
            head = start + handle.read(2**20)
            if "EncryptedPackage".encode("utf-16-le") in head:
                raise SpreadsheetError(
                    _("The file is password-protected. Remove the password and save it as .xlsx.")
                )
            raise SpreadsheetError(
                _("This is an old .xls file. Open it in Excel and save it as .xlsx.")
            )
        _check_zip(handle)
    finally:
        if owned:
            handle.close()
        else:
            handle.seek(0)


# --- the rows ---------------------------------------------------------------------------------


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
    if not any(any(clean_value(v) != "" for v in row) for row in rows):
        raise SpreadsheetError(_("The sheet is empty."))
    raise SpreadsheetError(
        _("No header row found in the first %(n)d rows. It must contain the columns: %(expected)s.")
        % {"n": HEADER_SEARCH_ROWS, "expected": "、".join(c for c in columns if c in required)}
    )


def _sheet_rows(sheet):
    """The sheet's rows, cut to the column limit; damaged XML becomes a :class:`SpreadsheetError`."""
    max_columns = limit("MAX_COLUMNS")
    rows = sheet.iter_rows(values_only=True)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:
            raise _damaged() from exc
        if len(values) > max_columns and any(v not in (None, "") for v in values[max_columns:]):
            raise SpreadsheetError(
                _("The sheet has more than %(limit)d columns.") % {"limit": max_columns}
            )
        yield values[:max_columns]


class TableRows:
    """The data rows of the first sheet, read as they stream (see :func:`iter_table`).

    Iterating yields ``(excel_row_number, {column: value})``; ``columns`` and ``header_row``
    are known once the object exists, ``count`` grows as rows are read.
    """

    def __init__(self, workbook, columns, required, on_row=None, handle=None):
        self._workbook = workbook
        self._handle = handle
        self._rows = _sheet_rows(workbook.worksheets[0])
        self._on_row = on_row
        self.count = 0
        head = []
        for values in self._rows:
            head.append(values)
            if len(head) == HEADER_SEARCH_ROWS:
                break
        index, header = _find_header(head, columns, required)
        self._positions = [(i, name) for i, name in enumerate(header) if name != ""]
        self.columns = [name for _i, name in self._positions]
        self.header_row = index + 1
        self._head = list(enumerate(head[index + 1 :], start=index + 2))

    def __iter__(self):
        max_rows = limit("MAX_ROWS")
        number = self.header_row
        try:
            for number, values in self._head:
                yield from self._record(number, values, max_rows)
            for values in self._rows:
                number += 1
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
        self._workbook.close()
        if self._handle is not None:
            self._handle.close()


def iter_table(file, columns, required=None, *, on_row=None):
    """The first sheet of an uploaded ``.xlsx`` as :class:`TableRows`, read as it streams.

    ``file`` is a path, bytes or a file object; ``columns`` are every column the table may
    have, ``required`` those that must be present (all of them by default); ``on_row(count)``
    is called for every data row read. Raises :class:`SpreadsheetError` with a message for the
    user when the file cannot be used, before the first row or while iterating.
    """
    if not DEFUSEDXML:  # pragma: no cover - a broken installation, not a user error
        raise RuntimeError("defusedxml must be installed before reading uploaded workbooks")
    check_upload(file)
    required = set(columns if required is None else required)
    handle, owned = _open(file)
    owned = handle if owned else None
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        if owned is not None:
            owned.close()
        raise _damaged() from exc
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("The workbook has no sheet."))
        return TableRows(workbook, columns, required, on_row, owned)
    except BaseException:
        workbook.close()
        if owned is not None:
            owned.close()
        raise


def read_table(file, columns, required=None):
    """The first sheet of an uploaded ``.xlsx`` as a :class:`Table` held in memory.

    For small tables; importers stream with :func:`iter_table` instead.
    """
    rows = iter_table(file, columns, required)
    table = Table(columns=rows.columns, header_row=rows.header_row)
    table.rows.extend(rows)
    return table


def as_text(value):
    """A cell as text, for codes: a whole number typed into a cell loses its '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).strip() if value is not None else ""

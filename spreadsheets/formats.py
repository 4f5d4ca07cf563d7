"""The kinds of file people upload, each opened as sheets of rows.

``.xls`` (智慧团建's own template, and what many office suites still save), ``.ods`` and an
``.xlsx`` of ordinary size are read by python-calamine; a large ``.xlsx`` by openpyxl in
read-only mode (a stream, with defusedxml against hostile XML; ``reader`` chooses); ``.csv`` by the standard library, in UTF-8 (with or without a BOM) or GB18030,
the encodings that Excel and WPS write on Chinese systems. The kind is read from the file's first
bytes, never from its name. ``bench/read_spreadsheets.py`` compares the readers.
"""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class FormatError(Exception):
    """The file is of no kind that can be read; the message is for the user."""


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name and its rows, each ``(excel_row_number, values)``."""

    name: str
    rows: object  # an iterator, consumed once


def kind_of(handle):
    """'xlsx', 'xls', 'ods' or 'csv', from the first bytes of the open binary file ``handle``
    (left at its start)."""
    handle.seek(0)
    start = handle.read(4096)
    handle.seek(0)
    if start.startswith(OLE2_SIGNATURE):
        return "xls"
    if start.startswith(b"PK"):
        try:
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                    return "ods"
                if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
            pass
        finally:
            handle.seek(0)
        raise FormatError(_("The file is a zip archive but not a spreadsheet."))
    if _looks_like_text(start):
        return "csv"
    raise FormatError(_("The file is not a spreadsheet. Upload an .xlsx, .xls, .ods or .csv file."))


# Files people upload by mistake that are text-like at their start: never a CSV.
_NOT_TABLES = (b"%PDF", b"{\\rtf", b"<?xml", b"<html", b"<!DOCTYPE", b"\x89PNG", b"\xff\xd8\xff")


def _looks_like_text(data):
    sample = data[:4096]
    if sample.lstrip().startswith(_NOT_TABLES):
        return False
    return b"\x00" not in sample and decode_text(sample, partial=True) is not None


def decode_text(data, *, partial=False):
    """``data`` decoded as UTF-8 (a BOM allowed) or GB18030, or None when it is neither."""
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            return decoder.decode(data, final=not partial)
        except UnicodeDecodeError:
            continue
    return None


def csv_sheets(handle):
    """The one sheet of a CSV file (at most the upload limit's size, decoded whole)."""
    handle.seek(0)
    text = decode_text(handle.read())
    if text is None:
        raise FormatError(_("The CSV file is neither UTF-8 nor GB18030 text."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    yield Sheet("CSV", ((number, row) for number, row in enumerate(reader, start=1)))


def calamine_sheets(handle):
    """Every visible worksheet of an ``.xls`` or ``.ods`` file, read by python-calamine (a
    sheet at a time; an ``.xls`` sheet holds at most 65,536 rows)."""
    import python_calamine

    handle.seek(0)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
    except python_calamine.PasswordError as exc:
        raise FormatError(
            _("The file is password-protected. Remove the password and save it again.")
        ) from exc
    except Exception as exc:  # calamine raises several types for a damaged file
        raise FormatError(_("The workbook cannot be opened: it is damaged.")) from exc
    try:
        for index, metadata in enumerate(workbook.sheets_metadata):
            if (
                metadata.typ != python_calamine.SheetTypeEnum.WorkSheet
                or metadata.visible != python_calamine.SheetVisibleEnum.Visible
            ):
                continue
            try:
                sheet = workbook.get_sheet_by_index(index)
            except Exception as exc:
                raise FormatError(_("The workbook cannot be opened: it is damaged.")) from exc
            first_row = sheet.start[0] + 1 if sheet.start else 1
            yield Sheet(
                sheet.name,
                ((number, row) for number, row in enumerate(sheet.iter_rows(), start=first_row)),
            )
    finally:
        workbook.close()

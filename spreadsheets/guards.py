"""The guards every upload passes before anything parses it (see :func:`check_upload`): its kind
read from its bytes, the size limits (``UPLOAD_LIMITS``), the zip container's parts and ratios
and well-formed XML parts. :mod:`spreadsheets.reader` re-exports these names."""

import io
import zipfile
import zlib
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

from spreadsheets.formats import (
    FormatError,
    kind_of,
)

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
    # an .xlsx up to this size is read by python-calamine, about ten times faster than
    # openpyxl but holding the whole sheet in memory (about 1.4 KB a row of table 1-1);
    # a larger one streams through openpyxl, whose memory stays flat (BENCHMARKS.md)
    "FAST_READER_MAX_BYTES": 4 * 2**20,
}
CHUNK = 256 * 1024


def limit(name):
    """One upload limit: ``settings.UPLOAD_LIMITS[name]`` or its default."""
    return {**DEFAULT_LIMITS, **getattr(settings, "UPLOAD_LIMITS", {})}[name]


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


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
    """The kind of a bounded, sound spreadsheet ('xlsx', 'xls', 'ods' or 'csv'); refuses any
    other file with a message for the user.

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
        try:
            kind = kind_of(handle)
        except FormatError as exc:
            raise SpreadsheetError(str(exc)) from exc
        if kind == "xls":
            head = handle.read(2**20)
            handle.seek(0)
            if "EncryptedPackage".encode("utf-16-le") in head:
                raise SpreadsheetError(
                    _("The file is password-protected. Remove the password and save it again.")
                )
        elif kind in ("xlsx", "ods"):
            _check_zip(handle)
        return kind
    finally:
        if owned:
            handle.close()
        else:
            handle.seek(0)

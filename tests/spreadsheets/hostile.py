"""Hostile spreadsheets for the upload guards: each a small file on disk, quick to build."""

import struct
import zipfile

from tests.xlsx import write_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def _rewrite(source, target, change):
    """Copy the zip ``source`` to ``target``, passing each part's bytes through ``change``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def _padded(name, data, pad):
    if name != SHEET:
        return data
    return data.replace(b"<sheetData>", b"<sheetData>" + b" " * pad, 1)


def zip_bomb(tmp_path, header, rows, *, pad=64 * 2**20):
    """A real workbook whose sheet inflates from a few hundred KB to ``pad`` bytes more."""
    plain = write_xlsx(tmp_path / "plain-bomb.xlsx", header, rows)
    return _rewrite(plain, tmp_path / "bomb.xlsx", lambda n, d: _padded(n, d, pad))


def lying_bomb(tmp_path, header, rows, *, pad=8 * 2**20):
    """A bomb whose zip directory claims the sheet is small: only inflating it shows its size."""
    path = zip_bomb(tmp_path, header, rows, pad=pad)
    data = bytearray(path.read_bytes())
    name = SHEET.encode()
    # local file header: signature PK\3\4, uncompressed size at offset 22
    local = data.find(b"PK\x03\x04")
    while local != -1:
        length = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + length] == name:
            struct.pack_into("<I", data, local + 22, 1000)
            break
        local = data.find(b"PK\x03\x04", local + 4)
    # central directory entry: signature PK\1\2, uncompressed size at offset 24
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + length] == name:
            struct.pack_into("<I", data, central + 24, 1000)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path


def truncated_xml(tmp_path, header, rows):
    """A workbook whose sheet XML stops in the middle, as an interrupted copy leaves it."""
    plain = write_xlsx(tmp_path / "plain-cut.xlsx", header, rows)
    return _rewrite(
        plain,
        tmp_path / "truncated.xlsx",
        lambda n, d: d[: len(d) * 2 // 3] if n == SHEET else d,
    )


def too_many_parts(tmp_path, header, rows, *, parts=600):
    """A workbook with hundreds of extra (tiny) parts."""
    path = write_xlsx(tmp_path / "parts.xlsx", header, rows)
    with zipfile.ZipFile(path, "a") as archive:
        for index in range(parts):
            archive.writestr(f"xl/media/extra{index}.bin", b"x")
    return path


def renamed_pdf(tmp_path):
    """A PDF renamed to .xlsx."""
    path = tmp_path / "scan.xlsx"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    return path


def oversized(tmp_path, header, rows, *, size):
    """A real workbook padded with an uncompressed part until the file is ``size`` bytes."""
    path = write_xlsx(tmp_path / "big.xlsx", header, rows)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("docProps/padding.bin", b"\0" * max(0, size - path.stat().st_size))
    return path

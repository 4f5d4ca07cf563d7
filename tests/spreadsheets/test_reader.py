"""The shared reader streams: rows are counted as they come and memory does not grow with them."""

import tracemalloc

import pytest
import xlsxwriter

from spreadsheets.reader import SpreadsheetError, check_upload, iter_table

COLUMNS = ("编号", "名称", "甲", "乙", "丙", "丁", "戊", "己")


def generated(path, rows):
    """A plain workbook of ``rows`` rows under a title and a header, streamed to disk."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["测试表"])
    sheet.write_row(1, 0, COLUMNS)
    for index in range(rows):
        values = [index, "甲乙丙" if index % 2 else "丁戊己"]
        sheet.write_row(index + 2, 0, values + [index * k + 100_000 for k in range(2, 8)])
    workbook.close()
    return path


def streaming_peak(path):
    """``(rows read, peak bytes allocated)`` while streaming ``path``."""
    tracemalloc.start()
    try:
        count = sum(1 for _row in iter_table(path, COLUMNS))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_with_the_number_of_rows(tmp_path, settings):
    """Six times the rows take almost the same peak memory: no row is kept once read.

    Holding the rows would cost some 500 bytes a row here; what is left (under 150) is
    openpyxl's parser keeping an emptied element per row, about 60 bytes. (The streaming
    reader is forced: small files go to python-calamine, whose memory tracemalloc cannot see.)
    """
    settings.UPLOAD_LIMITS = {"FAST_READER_MAX_BYTES": 0}
    small_count, small_peak = streaming_peak(generated(tmp_path / "small.xlsx", 2_000))
    large_count, large_peak = streaming_peak(generated(tmp_path / "large.xlsx", 12_000))
    assert (small_count, large_count) == (2_000, 12_000)
    assert (large_peak - small_peak) / 10_000 < 150


def test_rows_are_counted_as_they_stream_and_reading_stops_at_the_limit(tmp_path, settings):
    """The limit is reached after exactly MAX_ROWS rows, before the rest of the file is read."""
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_ROWS": 5}
    rows = iter_table(generated(tmp_path / "t.xlsx", 50), COLUMNS)
    read = []
    with pytest.raises(SpreadsheetError, match="超过5行"):
        for row in rows:
            read.append(row)
    assert [number for number, _record in read] == [3, 4, 5, 6, 7]


def test_a_doctype_in_a_part_is_refused(tmp_path):
    """Office never writes a DTD: a part with one (entity expansion attacks) is refused."""
    import zipfile

    from tests.spreadsheets.hostile import SHEET, _rewrite

    plain = generated(tmp_path / "p.xlsx", 3)
    path = _rewrite(
        plain,
        tmp_path / "dtd.xlsx",
        lambda name, data: (
            data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            if name == SHEET
            else data
        ),
    )
    assert zipfile.is_zipfile(path)
    with pytest.raises(SpreadsheetError, match="已损坏"):
        check_upload(path)


def test_the_reader_is_chosen_by_the_file_size(tmp_path, settings, monkeypatch):
    """Up to FAST_READER_MAX_BYTES an .xlsx is read by python-calamine; above, streamed."""
    from spreadsheets import reader

    used = []
    monkeypatch.setattr(reader, "calamine_sheets", _spy(reader.calamine_sheets, used, "calamine"))
    monkeypatch.setattr(reader, "_xlsx_sheets", _spy(reader._xlsx_sheets, used, "openpyxl"))
    path = generated(tmp_path / "t.xlsx", 100)
    assert sum(1 for _row in iter_table(path, COLUMNS)) == 100
    settings.UPLOAD_LIMITS = {"FAST_READER_MAX_BYTES": path.stat().st_size - 1}
    assert sum(1 for _row in iter_table(path, COLUMNS)) == 100
    assert used == ["calamine", "openpyxl"]


def _spy(function, used, name):
    def wrapper(*args, **kwargs):
        used.append(name)
        return function(*args, **kwargs)

    return wrapper

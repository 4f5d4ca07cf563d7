"""The shared writer: layout, typed cells and inert formula-like text."""

from datetime import date

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from spreadsheets.writer import Column, Kind, TableWriter

COLUMNS = [
    Column("序号", Kind.INTEGER),
    Column("姓名"),
    Column("公民身份号码"),
    Column("入团时间", Kind.DATE),
    Column("差距比例", Kind.PERCENT),
]


def write(path, rows, footer=None):
    with TableWriter(path, title="测试表", columns=COLUMNS) as writer:
        writer.write_rows(rows)
        if footer:
            writer.write_footer(footer)
    return openpyxl.load_workbook(path)


def test_title_header_and_typed_cells(tmp_path):
    sheet = write(
        tmp_path / "t.xlsx", [[1, "张三", "350102200001011234", date(2019, 5, 1), 0.0625]]
    ).active
    assert sheet["A1"].value == "测试表"
    assert [c.value for c in sheet[2]] == [c.name for c in COLUMNS]
    row = sheet[3]
    assert row[0].value == 1
    assert row[2].value == "350102200001011234" and row[2].data_type == "s"
    assert row[3].value.date() == date(2019, 5, 1)
    assert row[4].value == pytest.approx(0.0625) and row[4].number_format == "0.00%"


@pytest.mark.parametrize(
    "text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "＝1+1", "＋1", "－1", "＠x"]
)
def test_formula_like_text_is_inert(tmp_path, text):
    """Such text is a string cell with Excel's quote prefix: never a formula, value unchanged."""
    sheet = write(tmp_path / "t.xlsx", [[1, text, "", None, None]]).active
    cell = sheet["B3"]
    assert cell.data_type == "s"
    assert unescape(cell.value) == text  # OOXML stores control characters as _xHHHH_
    assert cell.quotePrefix is True


def test_plain_text_has_no_quote_prefix(tmp_path):
    sheet = write(tmp_path / "t.xlsx", [[1, "李四", "", None, None]]).active
    assert sheet["B3"].quotePrefix is False


def test_footer_lines_follow_the_table(tmp_path):
    sheet = write(
        tmp_path / "t.xlsx", [[1, "a", "", None, None]], footer=[("填报单位（盖章）", "甲市团委")]
    ).active
    assert sheet["A5"].value == "填报单位（盖章）"
    assert sheet["B5"].value == "甲市团委"

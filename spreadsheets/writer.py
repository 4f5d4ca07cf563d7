"""The one spreadsheet writer behind every export.

It streams rows into XlsxWriter in constant-memory mode (measured faster and leaner than openpyxl's
write-only mode, see BENCHMARKS.md), so memory stays flat however long the table. Layout follows
the official tables: a title row, a header row whose cells are exactly the column names, then one
row per record, then an optional footer (issuer, date, contact, verification code, seal).

Every text cell is written as text — never as a formula — and a text that starts like a formula
(= + - @, tab, carriage return, or their full-width forms) is marked with Excel's quote prefix, so
that it stays inert text even when a user edits the cell.
"""

import datetime
from dataclasses import dataclass

import xlsxwriter
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


class Kind:
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    """A column of an official table: its exact header text and the type of its cells."""

    name: str
    kind: str = Kind.TEXT
    width: float = 14


def looks_like_formula(text):
    return text.startswith(FORMULA_STARTS)


class TableWriter:
    """Write one official table to ``target`` (a path or a binary file object).

    Use as a context manager; ``write_row`` takes the values in column order.
    """

    def __init__(self, target, *, title, columns, sheet_name="Sheet1"):
        self.columns = list(columns)
        self.workbook = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "in_memory": False,
            },
        )
        self.sheet = self.workbook.add_worksheet(sheet_name[:31])
        self.formats = self._make_formats()
        self.rows_written = 0
        self._next_row = 0
        self._write_title(title)
        self._write_header()
        self._cell_writers = [self._writer_for(column.kind) for column in self.columns]

    def _make_formats(self):
        add = self.workbook.add_format
        return {
            "title": add({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}),
            "header": add(
                {
                    "bold": True,
                    "bg_color": "#F2F2F2",
                    "border": 1,
                    "align": "center",
                    "text_wrap": True,
                }
            ),
            "text": add({"num_format": "@"}),
            "inert": add({"num_format": "@", "quote_prefix": True}),
            "date": add({"num_format": "yyyy-mm-dd"}),
            "datetime": add({"num_format": "yyyy-mm-dd hh:mm"}),
            "percent": add({"num_format": "0.00%"}),
            "decimal": add({"num_format": "0.00"}),
            "footer_label": add({"bold": True}),
        }

    def _write_title(self, title):
        self.sheet.set_row(0, 28)
        last = max(len(self.columns) - 1, 0)
        if last:
            self.sheet.merge_range(0, 0, 0, last, title, self.formats["title"])
        else:
            self.sheet.write_string(0, 0, title, self.formats["title"])
        self._next_row = 1

    def _write_header(self):
        header = self.formats["header"]
        for index, column in enumerate(self.columns):
            self.sheet.set_column(index, index, column.width)
            self.sheet.write_string(self._next_row, index, column.name, header)
        self.sheet.freeze_panes(self._next_row + 1, 0)
        self._next_row += 1

    def _writer_for(self, kind):
        sheet, formats = self.sheet, self.formats
        text_format, inert_format = formats["text"], formats["inert"]
        # XlsxWriter's public write_* methods only translate "A1" notation before calling these
        # undecorated ones; rows and columns are numbers here, and the export runs hot.
        write_string = getattr(sheet, "_write_string", sheet.write_string)
        write_number = getattr(sheet, "_write_number", sheet.write_number)
        write_datetime = getattr(sheet, "_write_datetime", sheet.write_datetime)

        def text(row, col, value):
            if value.__class__ is not str:
                value = str(value)
            if value.startswith(FORMULA_STARTS):
                write_string(row, col, value, inert_format)
            else:
                write_string(row, col, value, text_format)

        def number(fmt):
            def write(row, col, value):
                write_number(row, col, value, fmt)

            return write

        def date_value(fmt):
            def write(row, col, value):
                if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                    # Excel has no time zones: write the wall-clock time of the project's zone.
                    value = timezone.localtime(value).replace(tzinfo=None)
                write_datetime(row, col, value, fmt)

            return write

        return {
            Kind.TEXT: text,
            Kind.INTEGER: number(None),
            Kind.DECIMAL: number(formats["decimal"]),
            Kind.PERCENT: number(formats["percent"]),
            Kind.DATE: date_value(formats["date"]),
            Kind.DATETIME: date_value(formats["datetime"]),
        }[kind]

    def write_row(self, values):
        if len(values) != len(self._cell_writers):
            raise ValueError(f"{len(values)} values for {len(self._cell_writers)} columns")
        row = self._next_row
        writers = self._cell_writers
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            writers[col](row, col, value)
        self._next_row += 1
        self.rows_written += 1

    def write_rows(self, rows):
        for values in rows:
            self.write_row(values)
        return self.rows_written

    @property
    def next_row(self):
        """The 0-based index of the row the next write goes to."""
        return self._next_row

    def write_footer(self, lines, *, gap=1):
        """Write ``(label, value)`` lines below the table; returns their 0-based row indexes."""
        self._next_row += gap
        placed = []
        for label, value in lines:
            self.sheet.write_string(self._next_row, 0, str(label), self.formats["footer_label"])
            if value not in (None, ""):
                text = str(value)
                fmt = self.formats["inert"] if looks_like_formula(text) else self.formats["text"]
                self.sheet.write_string(self._next_row, 1, text, fmt)
            placed.append(self._next_row)
            self._next_row += 1
        return placed

    def insert_image(self, row, col, image_data, *, scale=1.0, offset=(0, 0), name="image.png"):
        """Float an image (bytes of a PNG) over the cell at ``row``, ``col``."""
        import io

        self.sheet.insert_image(
            row,
            col,
            name,
            {
                "image_data": io.BytesIO(image_data),
                "x_scale": scale,
                "y_scale": scale,
                "x_offset": offset[0],
                "y_offset": offset[1],
                "object_position": 3,
            },
        )

    def set_properties(self, **custom):
        """Store document properties (shown in Excel's file info) such as the issuer."""
        for name, value in custom.items():
            self.workbook.set_custom_property(name, str(value))

    def close(self):
        self.workbook.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return False

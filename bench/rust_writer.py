"""Evaluation of rustpy-xlsxwriter (a Rust-backed writer) against the project's XlsxWriter writer.

    python -m bench.rust_writer                # 100,000 roster rows; no database needed
    python -m bench.rust_writer --rows 20000   # a busy machine

rustpy-xlsxwriter is not a requirement of the project: install it to measure it
(``pip install rustpy-xlsxwriter==0.8.0``, or ``pip install --target var/rustpy ...`` and the
run finds it there). Each writer runs in its own process, on the same synthetic rows of table
1-1 (the roster's own columns: text, numbers and dates, a tenth of the names starting like a
formula):

* ``xlsxwriter``: the project's :class:`spreadsheets.writer.TableWriter` (XlsxWriter
  constant-memory mode, title, header, a quote prefix on each formula-like cell);
* ``rustpy``: ``rustpy_xlsxwriter.write_worksheet`` given the same rows as a generator of dicts,
  with the title merged above the header and every text column formatted as text.

It also records which of the writer interface's duties rustpy-xlsxwriter's API can carry; the
decision follows from them (see ``DUTIES``).
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
from pathlib import Path

from bench import ROOT, setup_django
from bench.run import Timer, answer, in_child, machine, save

ROWS = 100_000
LOCAL_COPY = ROOT / "var" / "rustpy"

#: what the one writer interface must do, and whether rustpy-xlsxwriter 0.8's API can do it,
#: read from its published signature (``write_worksheet``/``write_worksheets``, records in,
#: formats per column or per whole row, images and merges placed before the rows are known)
DUTIES = [
    ("text cells (ID and development numbers stay text)", True, "column_formats with '@'"),
    (
        "quote prefix on each formula-like cell, and only there",
        False,
        "formats apply to a whole column or a whole row, never to one cell",
    ),
    (
        "footer lines below the streamed rows (issuer, date, contact, verification code)",
        False,
        "nothing can be written after the records; totals_row holds formulas, not text",
    ),
    (
        "seal image over the footer's issuer line",
        False,
        "images are placed before writing, so the row after a streamed table is unknown",
    ),
    (
        "stamps verifying (the code covers title, header, rows and footer as written)",
        False,
        "without the footer and its code a stamped table cannot be written",
    ),
]


def _import_rustpy():
    if LOCAL_COPY.is_dir() and str(LOCAL_COPY) not in sys.path:
        sys.path.append(str(LOCAL_COPY))
    import rustpy_xlsxwriter

    return rustpy_xlsxwriter


def roster_rows(count):
    """Synthetic rows of table 1-1 in its column order (seeded: every run writes the same)."""
    from members.tables.roster import WRITER_COLUMNS
    from spreadsheets.writer import Kind

    rng = random.Random(19)
    day = datetime.date(2019, 3, 1)
    for serial in range(1, count + 1):
        values = []
        for column in WRITER_COLUMNS:
            if column.kind == Kind.INTEGER:
                values.append(serial)
            elif column.kind == Kind.DATE:
                values.append(day + datetime.timedelta(days=rng.randrange(2000)))
            elif len(values) == 1:  # the name; a tenth start like a formula
                values.append(f"{'=' if serial % 10 == 0 else ''}团员{serial}")
            else:
                values.append(f"{rng.randrange(10**17, 10**18)}")
        yield values


def write_ours(rows, target):
    from members.tables.roster import WRITER_COLUMNS
    from spreadsheets.writer import TableWriter

    with TableWriter(target, title="团员信息表", columns=WRITER_COLUMNS) as writer:
        writer.write_rows(roster_rows(rows))


def write_rustpy(rows, target):
    from members.tables.roster import WRITER_COLUMNS
    from spreadsheets.writer import Kind

    rustpy = _import_rustpy()
    names = [column.name for column in WRITER_COLUMNS]
    text = rustpy.Format().set_num_format("@")
    rustpy.write_worksheet(
        (dict(zip(names, values, strict=True)) for values in roster_rows(rows)),
        str(target),
        sheet_name="Sheet1",
        header_row=1,
        merge_ranges=[(0, 0, 0, len(names) - 1, "团员信息表")],
        column_widths=[column.width for column in WRITER_COLUMNS],
        column_formats={c.name: text for c in WRITER_COLUMNS if c.kind == Kind.TEXT},
        datetime_format="yyyy-mm-dd",
        freeze_row=2,
    )


def probe(write):
    """Whether ``write`` marks the formula-like name (row 10) with a quote prefix and leaves the
    plain one (row 9) without: the per-cell duty, checked on the file it writes."""
    import openpyxl

    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "probe.xlsx"
        write(12, target)
        sheet = openpyxl.load_workbook(target).active
        inert, plain = sheet.cell(row=12, column=2), sheet.cell(row=11, column=2)
        assert inert.value == "=团员10" and plain.value == "团员9", (inert.value, plain.value)
        return bool(inert.quotePrefix) and not plain.quotePrefix


def child(alternative, rows):
    setup_django()
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / f"{alternative}.xlsx"
        with Timer() as timer:
            (write_ours if alternative == "xlsxwriter" else write_rustpy)(rows, target)
        size = target.stat().st_size
    answer(seconds=round(timer.seconds, 2), bytes=size)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--child", choices=("xlsxwriter", "rustpy"))
    options = parser.parse_args()
    if options.child:
        child(options.child, options.rows)
        return
    try:
        version = _import_rustpy().__version__
    except ImportError:
        raise SystemExit("Install rustpy-xlsxwriter first (see this module's docstring).") from None
    results = {
        "machine": machine(),
        "rows": options.rows,
        "rustpy_version": version,
        "load_average": round(os.getloadavg()[0], 1),
        "runs": [],
        "duties": [{"duty": d, "possible": ok, "why": why} for d, ok, why in DUTIES],
    }
    for alternative in ("xlsxwriter", "rustpy"):
        result, peak = in_child("bench.rust_writer", "--child", alternative, "--rows", options.rows)
        run = {
            "alternative": alternative,
            **result,
            "rows_per_s": round(options.rows / result["seconds"]),
            "peak_mb": round(peak),
        }
        results["runs"].append(run)
        print(run, flush=True)
    # After the children: this process's own memory must not count in their peaks.
    setup_django()
    results["quote_prefix_per_cell"] = {
        "xlsxwriter": probe(write_ours),
        "rustpy": probe(write_rustpy),
    }
    save("rust_writer", results)


if __name__ == "__main__":
    main()

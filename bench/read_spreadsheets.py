"""Reading an uploaded roster: python-calamine against openpyxl read-only, side by side.

    python -m bench.read_spreadsheets

No database is needed. A roster of N rows in table 1-1's columns is written once per format;
each alternative then reads every cell of it in a fresh process, which reports its time, and the
parent the child's peak resident memory:

* ``openpyxl``: openpyxl read-only, values only (the stream ``read_table`` uses for ``.xlsx``);
* ``calamine``: python-calamine, whole sheet (what ``read_table`` uses for ``.xls`` and ``.ods``);
* ``ours``: ``read_table`` itself with the roster's columns, header search and cell cleaning.
"""

import argparse
import tempfile
from datetime import date, timedelta

from bench.run import Timer, answer, in_child, machine, save

SIZES = (10_000, 100_000)


def write_file(path, rows):
    """A roster of ``rows`` made-up members, in .xlsx (xlsxwriter) or .xls (xlwt, ≤ 65,535)."""
    from members.id_numbers import check_character
    from members.tables import roster

    header = list(roster.HEADER)
    lines = []
    for index in range(rows):
        birth = date(2003, 1, 1) + timedelta(days=index // 500)
        body = f"350102{birth:%Y%m%d}{index % 500 * 2 + 1:03d}"
        lines.append(
            [
                index + 1,
                f"团员{index}",
                "男",
                "汉族",
                birth,
                body + check_character(body),
                "本科",
                "学生",
                date(2019, 5, 4),
                f"2019{index:08d}",
                "某团支部",
                "B1",
                "某团支部",
                "B1",
                "13800138000",
                "",
            ]
        )
    if str(path).endswith(".xls"):
        from tests.xlsx import write_xls

        write_xls(path, header, lines, title="新发展团员名册")
        return
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["新发展团员名册"])
    sheet.write_row(1, 0, header)
    for r, line in enumerate(lines, start=2):
        for c, value in enumerate(line):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, dates)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    workbook.close()


def read_openpyxl(path):
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return cells


def read_calamine(path):
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    cells = sum(len(row) for row in workbook.get_sheet_by_index(0).iter_rows())
    workbook.close()
    return cells


def read_ours(path):
    from members.tables import roster
    from spreadsheets.reader import read_table

    table = read_table(path, roster.HEADER, roster.REQUIRED_ON_IMPORT, roster.ALIASES)
    return len(table.rows) * len(table.columns)


def child(alternative, path):
    from bench import setup_django

    setup_django()
    with Timer() as timer:
        cells = globals()[f"read_{alternative}"](path)
    answer(alternative=alternative, cells=cells, seconds=round(timer.seconds, 2))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("ALTERNATIVE", "FILE"))
    parser.add_argument("--write", nargs=2, metavar=("FILE", "ROWS"))
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return
    if options.write:
        from bench import setup_django

        setup_django()
        write_file(options.write[0], int(options.write[1]))
        answer(written=int(options.write[1]))
        return
    results = {"machine": machine(), "runs": []}
    with tempfile.TemporaryDirectory() as folder:
        plan = [(f"{folder}/r{n}.xlsx", n, ("openpyxl", "calamine", "ours")) for n in SIZES]
        plan.append((f"{folder}/r10000.xls", 10_000, ("calamine", "ours")))
        for path, rows, alternatives in plan:
            in_child("bench.read_spreadsheets", "--write", path, rows)
            for alternative in alternatives:
                result, peak = in_child("bench.read_spreadsheets", "--child", alternative, path)
                result.update(rows=rows, format=path.rsplit(".", 1)[1], peak_mb=round(peak, 1))
                results["runs"].append(result)
                print(result, flush=True)
    save("read_spreadsheets", results)


if __name__ == "__main__":
    main()

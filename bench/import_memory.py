"""Peak memory of a roster import's dry run at 20,000 and at 200,000 rows, side by side.

    python -m bench.import_memory            # its own SQLite database in a temporary folder
    DATABASE_URL=postgres://... python -m bench.import_memory --keep-db   # an existing database

Each size runs ``ROSTER_IMPORT`` (the command's, the admin's and the worker's code) as a dry run
in a fresh process; the peak is that process's maximum resident set. ``dry run`` checks every
row as an upload's first step does (``read``, off by default, only streams the file through the
guarded reader).
Memory that stays flat with the file means the 200,000-row peak is close to the 20,000-row one.
"""

import argparse
import os
import tempfile
from datetime import date, timedelta

from bench import setup_django
from bench.run import Timer, answer, in_child, machine, save

SIZES = (20_000, 200_000)
STEPS = ("dry run",)  # add "read" to measure the reader alone
REGION = "110101"  # an ID region no other data uses, so the file's people are new
FIRST_NUMBER = 202599000001
BRANCH_CODE = "BENCH-MEM-B1"


def prepare():
    """The tables, one branch under a province, and a range that holds the file's numbers."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from branches.models import Organization
    from tests import factories

    if not Organization.objects.filter(code=BRANCH_CODE).exists():
        root = Organization.objects.get_root_nodes().first() or factories.province(
            code="BENCH-MEM", name="测试省团委"
        )
        factories.branch(root, code=BRANCH_CODE, name="内存测试团支部")
        factories.NumberRangeFactory(
            organization=root, first=FIRST_NUMBER, last=FIRST_NUMBER + 999_998
        )


def write_file(path, rows):
    """``rows`` valid new members of one branch in table 1-1's columns, streamed to disk."""
    import xlsxwriter
    from stdnum.cn import ric

    from members.tables import roster

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, [roster.TITLE])
    sheet.write_row(1, 0, roster.HEADER)
    for index in range(rows):
        birth = date(2005, 1, 1) + timedelta(days=index // 400)
        body = f"{REGION}{birth:%Y%m%d}{(index % 400) * 2 + index % 2:03d}"
        values = {
            roster.SERIAL: index + 1,
            roster.NAME: f"导入测试{index}",
            roster.GENDER: "男" if index % 2 else "女",
            roster.ETHNICITY: "汉族",
            roster.BIRTH_DATE: birth.isoformat(),
            roster.ID_NUMBER: body + ric.calc_check_digit(body + "0"),
            roster.EDUCATION: "高中",
            roster.IDENTITY: "学生",
            roster.JOIN_DATE: "2025-05-04",
            roster.DEVELOPMENT_NUMBER: str(FIRST_NUMBER + index),
            roster.DEVELOPER: "内存测试团支部",
            roster.DEVELOPER_CODE: BRANCH_CODE,
            roster.BRANCH: "内存测试团支部",
            roster.BRANCH_CODE: BRANCH_CODE,
            roster.PHONE: "13800138000",
            roster.ENTERED_AT: "",
        }
        sheet.write_row(index + 2, 0, [values[h] for h in roster.HEADER])
    workbook.close()


def run_read(path):
    from members.importing import ROSTER_IMPORT
    from members.tables import roster
    from spreadsheets.reader import iter_table

    count = 0
    for _row in iter_table(path, roster.HEADER, ROSTER_IMPORT.required):
        count += 1
    return count


def run_dry_run(path):
    from members.importing import ROSTER_IMPORT

    outcome = ROSTER_IMPORT.run(path, dry_run=True)
    assert outcome.ok, [str(e) for e in outcome.errors[:3]]
    return outcome.total


def child(step, path):
    setup_django()
    with Timer() as timer:
        rows = {"read": run_read, "dry run": run_dry_run}[step](path)
    answer(step=step, rows=rows, seconds=round(timer.seconds, 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("STEP", "FILE"))
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--write", nargs=2, metavar=("FILE", "ROWS"))
    parser.add_argument("--keep-db", action="store_true", help="use DATABASE_URL as it is")
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return
    if options.prepare:
        setup_django()
        prepare()
        answer(prepared=True)
        return
    if options.write:
        setup_django()
        write_file(options.write[0], int(options.write[1]))
        answer(written=int(options.write[1]))
        return
    results = {"machine": machine(), "runs": []}
    with tempfile.TemporaryDirectory() as folder:
        if not options.keep_db:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        in_child("bench.import_memory", "--prepare")
        for rows in SIZES:
            path = f"{folder}/roster-{rows}.xlsx"
            in_child("bench.import_memory", "--write", path, rows)
            megabytes = round(os.path.getsize(path) / 2**20, 1)
            for step in STEPS:
                result, peak = in_child("bench.import_memory", "--child", step, path)
                result.update(file_mb=megabytes, peak_mb=round(peak, 1))
                results["runs"].append(result)
                print(result, flush=True)
    save("import_memory", results)


if __name__ == "__main__":
    main()

"""Roster import of 10,000 rows with full validation, against its floor and a tuned stock peer.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.import_roster

Every alternative reads the same file in a fresh process and is rolled back afterwards, so the
run can be repeated:

* ``floor``: the physical floor measured in parts (:func:`bench.import_peer.floor`): reading with
  python-calamine, ID number checks, pinyin initials, ``COPY`` of the members and their history;
* ``ours``: ``ROSTER_IMPORT`` (the command's and the admin's code): the whole file checked with a
  few queries, every row validated in memory, members and history written with ``COPY``, stored
  counts and write guards kept;
* ``dry``: the same as a dry run (validation only, nothing written);
* ``stock``: a stock ``ModelResource`` tuned as import-export's docs advise
  (:func:`bench.import_peer.stock_resource`), stock per-row ``full_clean``.

The answer (one JSON line, :func:`bench.run.answer`, also saved as ``import_roster.json``) holds
the runs and the ratios ``import_to_floor`` (target ≤ 2) and ``dry_to_import`` (target ≤ 0.5).
"""

import argparse
import tempfile
from datetime import date, timedelta

from bench import import_peer, setup_django
from bench.report import load
from bench.run import Timer, answer, in_child, machine, save

ROWS = 10_000
REGION = "110101"  # an ID region the generator never uses, so the file's people are new
FIRST_NUMBER = 202599000001  # above every range handed down: only the province's range holds it


def write_file(path, rows):
    """A roster of ``rows`` valid new members of one branch, in table 1-1's columns."""
    from branches.models import Organization
    from members.id_numbers import check_character
    from members.tables import roster
    from tests.xlsx import write_xls, write_xlsx

    branch = Organization.objects.filter(kind="branch").order_by("path").first()
    lines = []
    for index in range(rows):
        birth = date(2005, 1, 1) + timedelta(days=index // 400)
        gender = "男" if index % 2 else "女"
        body = f"{REGION}{birth:%Y%m%d}{(index % 400) * 2 + (1 if index % 2 else 0):03d}"
        check = check_character(body)
        values = {
            roster.SERIAL: index + 1,
            roster.NAME: f"导入测试{index}",
            roster.GENDER: gender,
            roster.ETHNICITY: "汉族",
            roster.BIRTH_DATE: birth.isoformat(),
            roster.ID_NUMBER: body + check,
            roster.EDUCATION: "高中",
            roster.IDENTITY: "学生",
            roster.JOIN_DATE: "2025-05-04",
            roster.DEVELOPMENT_NUMBER: str(FIRST_NUMBER + index),
            roster.DEVELOPER: branch.name,
            roster.DEVELOPER_CODE: branch.code,
            roster.BRANCH: branch.name,
            roster.BRANCH_CODE: branch.code,
            roster.PHONE: "13800138000",
            roster.ENTERED_AT: "",
        }
        lines.append([values[h] for h in roster.HEADER])
    if str(path).endswith(".xls"):
        write_xls(path, roster.HEADER, lines, title=roster.TITLE)
    else:
        write_xlsx(path, roster.HEADER, lines, title=roster.TITLE)


def read_ours(path):
    """The reader's share: reading and cleaning the file, no row validated."""
    from members.importing import ROSTER_IMPORT

    return len(ROSTER_IMPORT.read(path).rows)


def run_ours(path, dry_run=False):
    from django.db import transaction

    from members.importing import ROSTER_IMPORT

    with transaction.atomic():
        outcome = ROSTER_IMPORT.run(path, dry_run=dry_run)
        transaction.set_rollback(True)
    assert outcome.ok, outcome.errors[:3]
    return outcome.created


def run_dry(path):
    return run_ours(path, dry_run=True)


def run_stock(path):
    import tablib
    from django.db import transaction

    from tests.xlsx import read_xlsx

    rows = read_xlsx(path)
    dataset = tablib.Dataset(*[tuple(r) for r in rows[2:]], headers=rows[1])
    with transaction.atomic():
        result = import_peer.stock_resource().import_data(
            dataset, dry_run=False, use_transactions=True
        )
        transaction.set_rollback(True)
    assert not result.has_errors() and not result.has_validation_errors(), (
        result.invalid_rows[:1] or result.error_rows[:1]
    )
    return result.totals["new"]


def child(alternative, path):
    setup_django()
    extra = {}
    if alternative == "floor":
        rows, parts = import_peer.floor(path)
        answer(alternative="floor", rows=rows, seconds=parts["total"], parts=parts)
        return
    if alternative == "ours":
        with Timer() as reading:
            read_ours(path)
        extra["read_seconds"] = round(reading.seconds, 2)
    with Timer() as timer:
        created = globals()[f"run_{alternative}"](path)
    answer(alternative=alternative, rows=created, seconds=round(timer.seconds, 2), **extra)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("ALTERNATIVE", "FILE"))
    parser.add_argument("--write", metavar="FILE", help="only write the roster file")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument(
        "--alternatives",
        default="floor,ours,dry,stock",
        help="comma-separated: floor, ours, dry, stock (slow)",
    )
    parser.add_argument("--formats", default="xlsx,xls", help="comma-separated: xlsx, xls")
    parser.add_argument(
        "--stock-rows",
        type=int,
        help="rows of the stock peer's own file (default --rows): it works a row at a time, so "
        "its rows/s hold at any size and the ratio is taken per row",
    )
    parser.add_argument(
        "--baseline",
        nargs=2,
        metavar=("CHECKOUT", "DATABASE_URL"),
        help="also run ours of another checkout (an earlier commit) on its own database",
    )
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return
    if options.write:
        setup_django()
        write_file(options.write, options.rows)
        answer(written=options.rows)
        return
    # The parent stays small: on Linux a child's peak memory starts from its parent's at fork.
    results = {"machine": machine(), "rows": options.rows, "runs": []}
    previous = load("import_roster")
    if previous:
        # The figure this run is compared with: the last recorded run of ours on .xlsx.
        results["previous"] = next(
            (
                {"seconds": r["seconds"], "machine": previous["machine"]}
                for r in previous["runs"]
                if r["alternative"] == "ours" and r.get("format", "xlsx") == "xlsx"
            ),
            previous.get("previous"),
        )
    with tempfile.TemporaryDirectory() as folder:
        for kind in options.formats.split(","):
            path = f"{folder}/roster.{kind}"
            in_child("bench.import_roster", "--write", path, "--rows", options.rows)
            for alternative in options.alternatives.split(","):
                if alternative != "ours" and kind != "xlsx":
                    continue  # the floor, the dry run and the stock peer: on .xlsx
                source = path
                if alternative == "stock" and options.stock_rows:
                    source = f"{folder}/stock.{kind}"
                    in_child("bench.import_roster", "--write", source, "--rows", options.stock_rows)
                result, peak = in_child("bench.import_roster", "--child", alternative, source)
                result.update(
                    format=kind,
                    peak_mb=round(peak, 1),
                    rows_per_s=round(result["rows"] / result["seconds"]),
                )
                results["runs"].append(result)
                print(result, flush=True)
    if options.baseline:
        # The earlier code, on a database of its own schema built by its own generator, in the
        # same run: the fair answer to "is the import slower than before?".
        checkout, url = options.baseline
        env = {"DATABASE_URL": url}
        with tempfile.TemporaryDirectory() as folder:
            path = f"{folder}/roster.xlsx"
            in_child("bench.import_roster", "--write", path, cwd=checkout, env=env)
            result, peak = in_child(
                "bench.import_roster", "--child", "ours", path, cwd=checkout, env=env
            )
        result.update(
            alternative="baseline",
            format="xlsx",
            peak_mb=round(peak, 1),
            rows_per_s=round(result["rows"] / result["seconds"]),
        )
        results["runs"].append(result)
        print(result, flush=True)
    if previous and "stock" not in options.alternatives.split(","):
        # Stock takes minutes: a run without it keeps the last measured stock figure, marked.
        for run in previous["runs"]:
            if run["alternative"] == "stock":
                results["runs"].append({**run, "format": "xlsx", "carried_over": True})
    results["ratios"] = ratios(results["runs"])
    save("import_roster", results)
    answer(**results)


def ratios(runs):
    """import/floor (target ≤ 2), dry run/import (target ≤ 0.5), stock/ours, on .xlsx; per row,
    since the stock peer may have run on a smaller file of its own."""
    seconds = {
        r["alternative"]: r["seconds"] / r["rows"]
        for r in runs
        if r.get("format", "xlsx") == "xlsx" and r.get("rows")
    }
    found = {}
    for name, (top, bottom) in {
        "import_to_floor": ("ours", "floor"),
        "dry_to_import": ("dry", "ours"),
        "stock_to_ours": ("stock", "ours"),
    }.items():
        if seconds.get(top) and seconds.get(bottom):
            found[name] = round(seconds[top] / seconds[bottom], 2)
    return found


if __name__ == "__main__":
    main()

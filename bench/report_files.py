"""Sections of BENCHMARKS.md on spreadsheets in and out: the roster export, the imports, reading
uploads, import memory and the compiled writer (see :mod:`bench.report`)."""

COMMAND = "DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.{}"


def verdict(ok):
    return "met" if ok else "**missed**"


def export_section(data):
    lines = [
        "## Roster export (table 1-1)",
        "",
        f"`{COMMAND.format('export_roster')}`",
        "",
        "The same rows (the first N new members of the province in roster order) written by each",
        "alternative in its own process; peak memory is the process's maximum resident set.",
        "",
        "| rows | alternative | seconds | rows/s | peak memory |",
        "|---:|---|---:|---:|---:|",
    ]
    by_size = {}
    for run in data["runs"]:
        by_size.setdefault(run["rows"], {})[run["alternative"]] = run
        lines.append(
            f"| {run['rows']:,} | {run['alternative']} | {run['seconds']} | {run['rows_per_s']:,} "
            f"| {run['peak_mb']} MB |"
        )
    lines += ["", "| rows | target | measured | verdict |", "|---:|---|---|---|"]
    for size, runs in sorted(by_size.items()):
        ours = runs.get("ours")
        if not ours:
            continue
        raw = max(
            (runs[k]["rows_per_s"] for k in ("xlsxwriter", "openpyxl") if k in runs), default=0
        )
        if raw:
            ratio = ours["rows_per_s"] / raw
            lines.append(
                f"| {size:,} | ≥ 0.8 × fastest raw writer | {ratio:.2f} × | {verdict(ratio >= 0.8)} |"
            )
        if "stock" in runs:
            ratio = ours["rows_per_s"] / runs["stock"]["rows_per_s"]
            lines.append(
                f"| {size:,} | ≥ 2 × stock import-export | {ratio:.2f} × | {verdict(ratio >= 2)} |"
            )
        if size >= 500_000:
            lines.append(
                f"| {size:,} | peak memory < 150 MB | {ours['peak_mb']} MB | {verdict(ours['peak_mb'] < 150)} |"
            )
    return lines


def import_section(data):
    runs = {run["alternative"]: run for run in data["runs"] if run.get("format", "xlsx") == "xlsx"}
    lines = [
        "## Roster import, 10,000 rows with full validation",
        "",
        f"`{COMMAND.format('import_roster')}`",
        "",
        "`read` is the reader's share: the same file read and cleaned alone, no row validated.",
        "",
        "| format | alternative | seconds | read | rows/s | peak memory |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for run in data["runs"]:
        read = f"{run['read_seconds']} s" if "read_seconds" in run else "—"
        name = run["alternative"] + (" (previous run)" if run.get("carried_over") else "")
        lines.append(
            f"| {run.get('format', 'xlsx')} | {name} | {run['seconds']} | {read} "
            f"| {run['rows_per_s']:,} | {run['peak_mb']} MB |"
        )
    if "baseline" in runs and "ours" in runs:
        before, now = runs["baseline"]["seconds"], runs["ours"]["seconds"]
        lines += [
            "",
            "`baseline` is the import as it stood before this round of work (the commit before",
            "the real-data and trust issues), run in the same session on a database its own",
            "generator built: the fair comparison on one machine.",
            "",
            "| target | measured | verdict |",
            "|---|---|---|",
            f"| not slower than before | {now} s against {before} s | {verdict(now <= before)} |",
        ]
    previous = data.get("previous")
    if previous and "ours" in runs:
        lines += [
            "",
            f"The previous recorded run of ours on .xlsx took {previous['seconds']} s "
            f"(on {previous['machine']['cpu']}); this run {runs['ours']['seconds']} s: "
            f"{verdict(runs['ours']['seconds'] <= previous['seconds'] * 1.1)} "
            "(target: not slower, within 10% of noise).",
        ]
    lines += floor_lines(runs)
    if "ours" in runs and "stock" in runs:
        # per row: the row-at-a-time stock peer may have run on a smaller file of its own
        speedup = runs["ours"]["rows_per_s"] / runs["stock"]["rows_per_s"]
        lines += [
            "",
            "| target | measured | verdict |",
            "|---|---|---|",
            f"| ≥ 2 × faster than stock | {speedup:.1f} × | {verdict(speedup >= 2)} |",
            f"| under 30 s | {runs['ours']['seconds']} s | {verdict(runs['ours']['seconds'] < 30)} |",
            "",
            "Each alternative runs in a fresh process. The peaks are alike because both are",
            "dominated by what a process holds before the first row: Django with the app's models",
            "and the pinyin dictionaries behind the search initials take about 120 MB; the file's",
            "10,000 rows add about 50 MB to either.",
        ]
    return lines


def floor_lines(runs):
    """The import against its floor and its dry run, all measured in the same run."""
    floor, ours, dry = runs.get("floor"), runs.get("ours"), runs.get("dry")
    if not (floor and ours):
        return []
    parts = ", ".join(
        f"{name.replace('_', ' ')} {seconds} s"
        for name, seconds in floor["parts"].items()
        if name != "total"
    )
    ratio = ours["seconds"] / floor["seconds"]
    lines = [
        "",
        f"The floor, measured in the same run: {parts}; {floor['seconds']} s in all. The import",
        "adds the full validation (widgets, the model's rules, the number rule, uniqueness and",
        "organisations for the whole file in a few queries), the stored counts and the write",
        "guards; it writes with `COPY` on PostgreSQL. The dry run validates and writes nothing.",
        "",
        "| target | measured | verdict |",
        "|---|---|---|",
        f"| import ≤ 2 × the floor | {ours['seconds']} s / {floor['seconds']} s = {ratio:.2f} × "
        f"| {verdict(ratio <= 2)} |",
    ]
    if dry:
        half = dry["seconds"] / ours["seconds"]
        lines.append(
            f"| dry run ≤ half the import | {dry['seconds']} s / {ours['seconds']} s = "
            f"{half:.2f} × | {verdict(half <= 0.5)} |"
        )
    stock = runs.get("stock")
    if stock and not stock.get("carried_over"):
        faster = ours["rows_per_s"] / stock["rows_per_s"]
        lines.append(
            f"| against a tuned stock resource (honest ratio, per row) | {stock['rows_per_s']:,}"
            f" rows/s ({stock['rows']:,} rows) against {ours['rows_per_s']:,} rows/s = "
            f"{faster:.0f} × faster | {verdict(faster >= 2)} |"
        )
    return lines


def read_section(data):
    lines = [
        "## Reading an uploaded roster: python-calamine against openpyxl read-only",
        "",
        "`python -m bench.read_spreadsheets` (no database needed)",
        "",
        "Each alternative reads every cell of the same file in a fresh process; peak memory is",
        "the process's maximum resident set (Django and the app loaded, about 100 MB of it).",
        "`ours` is `read_table` itself: header search, aliases and cell cleaning included.",
        "",
        "| format | rows | alternative | seconds | peak memory |",
        "|---|---:|---|---:|---:|",
    ]
    for run in data["runs"]:
        lines.append(
            f"| {run['format']} | {run['rows']:,} | {run['alternative']} | {run['seconds']} "
            f"| {run['peak_mb']} MB |"
        )
    lines += [
        "",
        "calamine reads about ten times faster but holds the whole sheet in memory, so its peak",
        "grows with the file; openpyxl's stream stays flat. The reader therefore takes calamine",
        "for `.xls`, `.ods` and every `.xlsx` up to `FAST_READER_MAX_BYTES` (4 MB, about 60,000",
        "rows of table 1-1) and openpyxl's stream above, so that a 200,000-row file stays flat.",
        "`ours` adds the upload guards (every XML part inflated and parsed once before reading)",
        "and holds the table in memory (`read_table`); imports stream it instead.",
    ]
    return lines


def import_memory_section(data):
    lines = [
        "## Roster upload memory, 20,000 against 200,000 rows",
        "",
        "`python -m bench.import_memory` (its own SQLite database unless `--keep-db`)",
        "",
        "Each size is checked in a fresh process by the code an upload runs in the task worker",
        "(`ROSTER_IMPORT`, a dry run: every row validated, nothing written); the peak is",
        "the process's maximum resident set, about 120 MB of which is Django and the app before the",
        "first row. What still grows with the rows is a few facts per row kept to check the",
        "file as a whole (ID and development numbers, for duplicates). Seconds are as measured",
        f"on {data['machine']['cpu']} ({data['machine']['cores']} cores) while other work shared it.",
        "",
        "| rows | file | step | seconds | peak memory |",
        "|---:|---:|---|---:|---:|",
    ]
    runs = data["runs"]
    for run in runs:
        lines.append(
            f"| {run['rows']:,} | {run['file_mb']} MB | {run['step']} | {run['seconds']} "
            f"| {run['peak_mb']} MB |"
        )
    dry = {run["rows"]: run for run in runs if run["step"] == "dry run"}
    if 200_000 in dry and 20_000 in dry:
        large, small = dry[200_000]["peak_mb"], dry[20_000]["peak_mb"]
        lines += [
            "",
            "| target | measured | verdict |",
            "|---|---|---|",
            f"| 200,000 rows under 300 MB | {large} MB | {verdict(large < 300)} |",
            f"| 10 × the rows, peak grows by | {large - small:.0f} MB ({large / small:.2f} ×) | |",
        ]
    return lines


def rust_writer_section(data):
    runs = {run["alternative"]: run for run in data["runs"]}
    ours, rust = runs["xlsxwriter"], runs["rustpy"]
    lines = [
        "## Export writer: rustpy-xlsxwriter evaluated, not adopted",
        "",
        "`python -m bench.rust_writer` (no database; rustpy-xlsxwriter "
        f"{data['rustpy_version']} installed for the run only)",
        "",
        f"{data['rows']:,} synthetic rows of table 1-1 in its own columns, each writer in its own "
        "process.",
        "",
        "| writer | seconds | rows/s | file | peak memory |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, run in (("XlsxWriter (the project's writer)", ours), ("rustpy-xlsxwriter", rust)):
        lines.append(
            f"| {name} | {run['seconds']} | {run['rows_per_s']:,} "
            f"| {run['bytes'] / 2**20:.1f} MB | {run['peak_mb']} MB |"
        )
    lines += [
        "",
        f"rustpy-xlsxwriter wrote the rows {ours['seconds'] / rust['seconds']:.1f} × faster. "
        "It is not adopted: the one writer interface must also do what its API cannot, and a",
        "writer that passed only some of the writer tests would have to give up stamped tables.",
        "",
        "| duty of the writer interface | rustpy-xlsxwriter | why |",
        "|---|---|---|",
    ]
    for duty in data["duties"]:
        lines.append(f"| {duty['duty']} | {'yes' if duty['possible'] else 'no'} | {duty['why']} |")
    probe = data.get("quote_prefix_per_cell", {})
    if probe:
        lines += [
            "",
            "Checked on the files written: the quote prefix sits on the formula-like cell and "
            f"not on its plain neighbour — XlsxWriter {'yes' if probe['xlsxwriter'] else 'no'}, "
            f"rustpy-xlsxwriter {'yes' if probe['rustpy'] else 'no'}.",
        ]
    lines += [
        "",
        f"The machine's load average was {data['load_average']} when this ran "
        f"({data['machine']['cores']} cores).",
    ]
    return lines

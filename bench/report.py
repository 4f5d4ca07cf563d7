"""Write BENCHMARKS.md from the latest results in bench/results/ (python -m bench.report)."""

import json

from bench import ROOT
from bench.run import RESULTS

COMMAND = "DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.{}"


def load(name):
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


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
    if "ours" in runs and "stock" in runs:
        speedup = runs["stock"]["seconds"] / runs["ours"]["seconds"]
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
        "(`ROSTER_IMPORT`, a dry run: every row validated, inserted and rolled back); the peak is",
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


def pages_section(title, name, data, targets):
    lines = [
        f"## {title}",
        "",
        f"`{COMMAND.format(name)}` — {data['members']:,} members; in-process through the whole",
        "Django stack (middleware, templates), signed in; one warm-up request, then the runs.",
        "",
        "| page | p50 | p95 | queries | target | verdict |",
        "|---|---:|---:|---:|---|---|",
    ]
    for page, result in data["pages"].items():
        target = targets.get(page)
        judged = verdict(result["p95_ms"] < target) if target else ""
        lines.append(
            f"| {page} | {result['p50_ms']} ms | {result['p95_ms']} ms | {result['queries']} "
            f"| {f'p95 < {target} ms' if target else ''} | {judged} |"
        )
    return lines


def breakdowns_section(data):
    """The breakdown and statistics pages under each alternative side by side; the verdict is
    the last alternative's (what the pages run)."""
    alternatives = data["alternatives"]
    load = ""
    if "load_before" in data:
        load = (
            f" The machine was shared: load average {data['load_before'][0]} before the run and "
            f"{data['load_after'][0]} after, on {data['machine']['cores']} cores."
        )
    lines = [
        "## Breakdowns and annual statistics at province scale",
        "",
        f"`{COMMAND.format('breakdowns')}` — {data['members']:,} members; in-process through the",
        "whole Django stack, signed in; one warm-up request, then the runs."
        + (f" Each page ran {_runs(data)} times per alternative.{load}" if load else ""),
        "",
        "| page | alternative | p50 | p95 | queries | target | verdict |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for page, measured in data["pages"].items():
        target = 1000 if page.startswith("province") else 300
        for alternative in alternatives:
            result = measured.get(alternative)
            if result is None:
                continue
            judged = verdict(result["p95_ms"] < target) if alternative == alternatives[-1] else ""
            lines.append(
                f"| {page} | {alternative} | {result['p50_ms']} ms | {result['p95_ms']} ms "
                f"| {result['queries']} | p95 < {target} ms | {judged} |"
            )
    return lines


def _runs(data):
    return max(r["runs"] for measured in data["pages"].values() for r in measured.values())


def http_section(data):
    lines = [
        "## HTTP load",
        "",
        f"`{COMMAND.format('http_load')}` — gunicorn with {data['workers']} workers on loopback,",
        f"wrk with {data['connections']} connections for {data['seconds']} s per page.",
        "",
        "| page | requests/s | p50 | p95 | p99 | non-2xx | socket errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page, r in data["pages"].items():
        lines.append(
            f"| {page} | {r['requests_per_s']} | {r['p50_ms']} ms | {r['p95_ms']} ms | {r['p99_ms']} ms "
            f"| {r['non_2xx']} | {r['errors']} |"
        )
    return lines


def register_lookup_section(data):
    lines = [
        "## Register look-up (`UnusedNumber.objects.containing`)",
        "",
        f"`{COMMAND.format('register_lookup')}`",
        "",
        "Every single-member save asks which register entry holds its number. The register gets",
        "N extra entries (in a transaction rolled back afterwards), then the same "
        f"{data['lookups']} random",
        "numbers are looked up with the earlier spelling (`first <= n AND last >= n`) and with the",
        "current one (`int8range(first, last, '[]') @> n`, the GiST index of the exclusion",
        "constraint).",
        "",
        "| register entries | spelling | p50 | p95 | index used |",
        "|---:|---|---:|---:|---|",
    ]
    for run in data["runs"]:
        for way in ("comparisons", "gist"):
            r = run[way]
            lines.append(
                f"| {run['entries']:,} | {way} | {r['p50_ms']} ms | {r['p95_ms']} ms "
                f"| {', '.join(r['indexes']) or 'none (table scan)'} |"
            )
    sizes = [run["entries"] for run in data["runs"]]
    gist = [run["gist"]["p50_ms"] for run in data["runs"]]
    lines += [
        "",
        f"From {sizes[0]:,} to {sizes[-1]:,} entries the GiST look-up's p50 goes from "
        f"{gist[0]} ms to {gist[-1]} ms; the comparisons' from "
        f"{data['runs'][0]['comparisons']['p50_ms']} ms to "
        f"{data['runs'][-1]['comparisons']['p50_ms']} ms.",
    ]
    if "load_average" in data:
        lines += [
            "",
            f"The machine's load average was {data['load_average']} when this ran "
            f"({data['machine']['cores']} cores).",
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


def member_indexes_section(data):
    import statistics

    def mean_ms_per_1000(kind):
        values = [run["insert_seconds"] for run in data["runs"] if run["indexes"] == kind]
        return statistics.mean(values) * 1000 / (data["rows"] / 1000)

    sizes = next(run["index_bytes"] for run in data["runs"] if "index_bytes" in run)
    before, after = mean_ms_per_1000("before"), mean_ms_per_1000("after")
    per_million = 10**6 / data["members"]
    lines = [
        "## Member table: three redundant indexes dropped (migration 0012)",
        "",
        f"`{COMMAND.format('member_indexes')}`",
        "",
        f"On {data['members']:,} members; the dropped indexes created again in a transaction rolled "
        "back, then "
        f"{data['rows']:,} member rows inserted with and without them "
        f"({len(data['runs']) // 2} times each, alternating).",
        "",
        "| index dropped | size | per million members |",
        "|---|---:|---:|",
    ]
    for name, size in sizes.items():
        lines.append(f"| `{name}` | {size / 2**20:.1f} MB | {size * per_million / 2**20:.0f} MB |")
    lines += [
        "",
        f"Inserting members: {before:.1f} ms per 1,000 rows with them, {after:.1f} ms without "
        f"({(1 - after / before) * 100:.0f}% less). The member table's indexes now take "
        f"{data['indexes_bytes_after'] / 2**20:.0f} MB in all.",
        "",
        "The look-ups they could have served still use an index:",
        "",
    ]
    for lookup, indexes in data["lookups"].items():
        lines.append(f"- {lookup}: {', '.join(f'`{i}`' for i in indexes) or 'none'}")
    lines += [
        "",
        f"The machine's load average was {data['load_average']} when this ran "
        f"({data['machine']['cores']} cores).",
    ]
    return lines


def main():
    sections = []
    machine = None
    for name in (
        "export_roster",
        "import_roster",
        "read_spreadsheets",
        "import_memory",
        "dashboards",
        "breakdowns",
        "admin_list",
        "tree",
        "register_lookup",
        "member_indexes",
        "rust_writer",
        "http_load",
    ):
        data = load(name)
        if data is None:
            continue
        machine = machine or data["machine"]
        if name == "export_roster":
            sections.append(export_section(data))
        elif name == "import_roster":
            sections.append(import_section(data))
        elif name == "read_spreadsheets":
            sections.append(read_section(data))
        elif name == "import_memory":
            sections.append(import_memory_section(data))
        elif name == "dashboards":
            sections.append(
                pages_section(
                    "Dashboards at province scale",
                    name,
                    data,
                    {"province dashboard": 1000, "city dashboard": 300},
                )
            )
        elif name == "breakdowns":
            sections.append(breakdowns_section(data))
        elif name == "admin_list":
            sections.append(
                pages_section(
                    "Admin member list and search",
                    name,
                    data,
                    dict.fromkeys(data["pages"], 500),
                )
            )
        elif name == "tree":
            sections.append(
                pages_section(
                    f"Organisation tree, pickers and desk at {data['organizations']:,} organisations",
                    name,
                    data,
                    {page: 1500 if page.startswith("desk") else 500 for page in data["pages"]},
                )
            )
        elif name == "member_indexes":
            sections.append(member_indexes_section(data))
        elif name == "rust_writer":
            sections.append(rust_writer_section(data))
        elif name == "register_lookup":
            sections.append(register_lookup_section(data))
        else:
            sections.append(http_section(data))
    intro = (ROOT / "bench" / "INTRO.md").read_text().rstrip()
    facts = [
        "## The machine",
        "",
        f"- CPU: {machine['cpu']} ({machine['cores']} cores); memory {machine['memory']}",
        f"- Python {machine['python']} on {machine['system']}; PostgreSQL on the same machine",
    ]
    body = [intro, "", *facts, ""]
    for section in sections:
        body += [*section, ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(body))
    print("BENCHMARKS.md written")


if __name__ == "__main__":
    main()

"""Sections of BENCHMARKS.md on pages and queries: dashboards, admin lists and the tree,
breakdowns, HTTP load, the register look-up and the member indexes (see :mod:`bench.report`)."""

from bench.report_files import COMMAND, verdict


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


#: p95 targets of the dashboards at 2,000,000 members (issue 19)
DASHBOARD_TARGETS = {"province dashboard": 150, "city dashboard": 80}


def dashboards_section(data):
    """The dashboards read from the figure roll-ups, beside the live recount they ran before
    (same run); the verdict is the roll-ups'."""
    alternatives = [("roll-ups", data["pages"])]
    if "live_pages" in data:
        alternatives.append(("live recount (before)", data["live_pages"]))
    lines = [
        "## Dashboards at province scale",
        "",
        f"`{COMMAND.format('dashboards')}` — {data['members']:,} members; in-process through the",
        "whole Django stack (middleware, templates), signed in; one warm-up request, then the",
        "runs. The pages read each summable figure from the stored roll-ups (one row per child",
        "and figure, `reports.rollups`); the live recount counts the same figures from their",
        "rows on every request, as the pages did before, in the same run.",
        "",
        "| page | read from | p50 | p95 | queries | target | verdict |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for page in data["pages"]:
        target = DASHBOARD_TARGETS.get(page)
        for label, pages in alternatives:
            result = pages.get(page)
            if result is None:
                continue
            judged = verdict(result["p95_ms"] < target) if target and label == "roll-ups" else ""
            lines.append(
                f"| {page} | {label} | {result['p50_ms']} ms | {result['p95_ms']} ms "
                f"| {result['queries']} | {f'p95 < {target} ms' if target else ''} | {judged} |"
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

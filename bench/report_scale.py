"""Sections of BENCHMARKS.md on size: where and when each figure was measured, the growth curves
at 0.5, 2 and 5 million members with the national projection, and the layout that would carry
it (see :mod:`bench.report`; the numbers come from ``bench.all``'s run)."""

import json
import math
from datetime import datetime

NATIONAL_MEMBERS = 75_000_000
NATIONAL_ORGANIZATIONS = 4_000_000
PROVINCES = 31
GB = 10**9


def fit(points):
    """Least squares on log-log: ``value ≈ c · size^k``; returns (k, c), or None below two sizes.

    Points with a value of zero or less (below the timer's resolution) are left out."""
    usable = [(x, y) for x, y in points if x > 0 and y is not None and y > 0]
    if len({x for x, _ in usable}) < 2:
        return None
    xs = [math.log(x) for x, _ in usable]
    ys = [math.log(y) for _, y in usable]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    k = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    return k, math.exp(my - k * mx)


def project(fitted, size):
    k, c = fitted
    return c * size**k


def growth(k):
    """The exponent in words: what a reader needs to know about the curve."""
    if k < 0.15:
        return "flat (does not grow with size)"
    if k < 0.85:
        return "sub-linear"
    if k <= 1.15:
        return "linear"
    return "super-linear"


def measured_at(data):
    value = data.get("measured_at") if isinstance(data, dict) else None
    return datetime.fromisoformat(value) if value else None


def is_stale(data, run_started):
    """A result older than the run (or without a date) did not come from it."""
    if run_started is None:
        return False
    when = measured_at(data)
    return when is None or when < datetime.fromisoformat(run_started)


def provenance(data, run=None):
    """One line under a section: when, on which machine and database its figures were measured."""
    when = measured_at(data)
    machine = data.get("machine") or {}
    parts = [
        f"measured {when:%Y-%m-%d %H:%M} UTC" if when else "measurement date not recorded",
        f"on {machine.get('cpu', '?')} ({machine.get('cores', '?')} cores)",
    ]
    if data.get("database"):
        parts.append(f"database {data['database']}")
    if data.get("load_at_save"):
        parts.append(f"load average {data['load_at_save'][0]} when saved")
    line = "_" + ", ".join(parts) + "._"
    if run and is_stale(data, run.get("started")):
        line += (
            f" **Older than the run of {run['started'][:16].replace('T', ' ')} UTC: not from it.**"
        )
    return line


def _import_seconds(data, alternative):
    for entry in data.get("runs", []):
        if entry.get("alternative") == alternative and entry.get("format", "xlsx") == "xlsx":
            return entry.get("seconds")
    return None


def _page(data, page):
    return (data.get("pages") or {}).get(page, {}).get("p95_ms")


def _queries(data, page):
    return (data.get("pages") or {}).get(page, {}).get("queries")


#: measure -> (unit, how to read it from a size's results {module: data}, what to project)
MEASURES = {
    "province dashboard p95": (
        "ms",
        lambda r: _page(r.get("dashboards", {}), "province dashboard"),
    ),
    "city dashboard p95": ("ms", lambda r: _page(r.get("dashboards", {}), "city dashboard")),
    "province dashboard queries": (
        "",
        lambda r: _queries(r.get("dashboards", {}), "province dashboard"),
    ),
    "import 10,000 rows": ("s", lambda r: _import_seconds(r.get("import_roster", {}), "ours")),
    "import dry run": ("s", lambda r: _import_seconds(r.get("import_roster", {}), "dry")),
    "import floor": ("s", lambda r: _import_seconds(r.get("import_roster", {}), "floor")),
    "export of one city, rows/s": (
        "rows/s",
        lambda r: r.get("scale", {}).get("export_city", {}).get("rows_per_s"),
    ),
    "rebuild_tallies": ("s", lambda r: r.get("scale", {}).get("rebuild_tallies_seconds")),
    "ANALYZE of the database": ("s", lambda r: r.get("scale", {}).get("analyze_seconds")),
    "pg_dump (custom format)": ("s", lambda r: r.get("scale", {}).get("dump", {}).get("seconds")),
    "member by ID number p50": (
        "ms",
        lambda r: (
            r.get("scale", {}).get("queries", {}).get("member by ID number", {}).get("p50_ms")
        ),
    ),
    "grassroots subtree count p50": (
        "ms",
        lambda r: (
            r.get("scale", {}).get("queries", {}).get("grassroots subtree count", {}).get("p50_ms")
        ),
    ),
    "city subtree count p50": (
        "ms",
        lambda r: r.get("scale", {}).get("queries", {}).get("city subtree count", {}).get("p50_ms"),
    ),
    "database size": ("GB", lambda r: _bytes(r, "database_bytes")),
    "tables": ("GB", lambda r: _bytes(r, "tables_bytes")),
    "indexes": ("GB", lambda r: _bytes(r, "indexes_bytes")),
}


def _bytes(results, key):
    value = results.get("scale", {}).get("disk", {}).get(key)
    return value / GB if value else None


def members_of(results):
    for data in results.values():
        if data.get("members"):
            return data["members"]
    return None


def series(by_database):
    """measure -> [(members, value)] over the sizes, smallest first."""
    sizes = sorted(
        ((members_of(r), r) for r in by_database.values() if members_of(r)), key=lambda p: p[0]
    )
    table = {}
    for name, (_unit, read) in MEASURES.items():
        points = [(members, read(results)) for members, results in sizes]
        if any(value is not None for _, value in points):
            table[name] = points
    return table


def _number(value, unit=""):
    if value is None:
        return "—"
    if unit == "GB":
        return f"{value:,.2f} GB"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def growth_section(by_database, run=None):
    """The growth table at every measured size, the fitted exponent and the national projection."""
    table = series(by_database)
    if not table:
        return []
    sizes = [members for members, _ in next(iter(table.values()))]
    header = " | ".join(f"{m / 10**6:g} M" for m in sizes)
    lines = [
        "## Growth with size and the national projection",
        "",
        "`python -m bench.all --databases yl_bench_05m yl_bench_2m yl_bench_5m` — the same",
        "benchmarks on each database, fitted by least squares on log-log (cost ∝ members^k) and",
        f"projected to the national case: {NATIONAL_MEMBERS:,} members in about "
        f"{NATIONAL_ORGANIZATIONS:,} organisations (the generator keeps about 20 members an",
        "organisation at every size, as the national case does). k ≈ 0 means the cost does not",
        "grow with the data; k ≈ 1 linear. A projection from three points is a guide, not a promise.",
        "",
        f"| measure | {header} | k | growth | at {NATIONAL_MEMBERS / 10**6:g} M |",
        f"|---|{'---:|' * len(sizes)}---:|---|---:|",
    ]
    projections = {}
    for name, points in table.items():
        unit = MEASURES[name][0]
        fitted = fit(points)
        cells = " | ".join(_number(value, unit) for _, value in points)
        if fitted:
            k = fitted[0]
            projections[name] = project(fitted, NATIONAL_MEMBERS)
            lines.append(
                f"| {name} | {cells} | {k:.2f} | {growth(k)} | {_number(projections[name], unit)} |"
            )
        else:
            lines.append(f"| {name} | {cells} | — | — | — |")
    disk = [(m, v * GB / m * 10**6) for m, v in table.get("database size", []) if v]
    if disk:
        per_million = sum(v for _, v in disk) / len(disk)
        lines += [
            "",
            "Disk per million members (whole database, tables and indexes): "
            + ", ".join(f"{v / GB:.2f} GB at {m / 10**6:g} M" for m, v in disk)
            + f"; at the mean, {NATIONAL_MEMBERS / 10**6:g} M members take about "
            f"{per_million * NATIONAL_MEMBERS / 10**6 / GB:,.0f} GB before replicas and backups.",
        ]
    flat = [name for name, points in table.items() if (fit(points) or (1,))[0] < 0.15]
    if flat:
        lines += ["", "Flat with size (k < 0.15): " + ", ".join(flat) + "."]
    return lines


PER_REQUEST = (
    "member by ID number p50",
    "grassroots subtree count p50",
    "province dashboard p95",
    "city dashboard p95",
)


def steepest(fits, names):
    """The largest exponent among ``names`` that were fitted (0 if none was)."""
    return max((fits[name][0] for name in names if fits.get(name)), default=0)


def duration(seconds):
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def layout_section(by_database, reference=None, partitioned=None):
    """One database per province against partitioning by province, from the measured curves."""
    table = series(by_database)
    fits = {name: fit(points) for name, points in table.items()}
    per_province = NATIONAL_MEMBERS / PROVINCES

    def at(name, size):
        return project(fits[name], size) if fits.get(name) else None

    def k(name):
        return f"k = {fits[name][0]:.2f}" if fits.get(name) else "not measured"

    lines = [
        "## Layout for the national case: one database per province",
        "",
        f"The national case averages {per_province / 10**6:.1f} M members a province "
        f"({PROVINCES} provinces), which is the measured 2 M database; the measured 5 M database",
        "stands for a large province. What the measurements say:",
        "",
        f"- **Per-request costs.** A member by ID number ({k('member by ID number p50')}),"
        f" a grassroots subtree ({k('grassroots subtree count p50')}) and the dashboards"
        f" ({k('province dashboard p95')} at the province, {k('city dashboard p95')} for a city): "
        + (
            "they barely grow with the table (b-tree look-ups cost log n, and the pages read"
            " stored counts), so partition pruning would save almost nothing per request."
            if steepest(fits, PER_REQUEST) < 0.3
            else "they grow far slower than the data (b-tree look-ups cost log n); exponents"
            " of fractions of a millisecond on a shared machine carry its noise."
        ),
        f"- **Whole-database work.** rebuild_tallies ({k('rebuild_tallies')}),"
        f" ANALYZE ({k('ANALYZE of the database')}) and a backup ({k('pg_dump (custom format)')})"
        " grow with the rows. In one national database:",
    ]
    for name in ("rebuild_tallies", "pg_dump (custom format)", "ANALYZE of the database"):
        national, province = at(name, NATIONAL_MEMBERS), at(name, per_province)
        if national is not None:
            lines.append(
                f"  - {name}: about {duration(national)} nationally, against "
                f"{duration(province)} for an average province (in parallel, each on its own)."
            )
    size = at("database size", NATIONAL_MEMBERS)
    if size is not None:
        lines.append(
            f"- **Disk:** about {size:,.0f} GB in one database, or about "
            f"{at('database size', per_province):,.1f} GB per average province."
        )
    if partitioned:
        unknown = partitioned["queries"]["member by ID number, region unknown"]
        lines.append(
            f"- **Partitioning, measured** (below, {partitioned['regions']} regions): a member by "
            f"ID number without the region took {unknown['part_member']['p50_ms']} ms "
            f"partitioned against {unknown['plain_member']['p50_ms']} ms in one table (p50): "
            "every partition's index is probed, and a national ID-number check never knows "
            "the region."
        )
    lines += [
        "- **Cross-province figures need only roll-ups.** A national ranking reads each",
        "  province's stored counts per child (one row per city), not its members: a national",
        "  view collects a few hundred rows from each province's database.",
        "",
        "**Recommendation: one database per province behind the same code** (the tree's root is",
        "a province already; each deployment is this app with its own DATABASE_URL), because:",
        "",
        "1. nothing per request needs a bigger database to be split, while every whole-database",
        "   duty (stored-count rebuild, ANALYZE and VACUUM, backup and restore, index builds in",
        "   migrations) stays at the size measured here and runs in parallel across provinces;",
        "2. a province's outage, restore or migration touches that province alone;",
        "3. PostgreSQL's declarative partitioning needs the partition key in every unique index,",
        "   so the national uniqueness of ID numbers and development numbers could no longer be a",
        "   unique index: it needs a national registry either way, and partitioning adds a",
        "   province column to members and every query that should prune;",
        "4. a single instance still carries every partition's WAL, vacuum and backup, so the",
        "   whole-database costs above are not divided, only spread over tables.",
        "",
        "Partitioning by province is the fallback if one deployment is mandated: the same",
        "measurements then apply per partition for look-ups, and to the whole instance for the",
        "maintenance figures. Cross-province moves and the national ID-number check go through a",
        "small national service that each province's deployment calls; it is not built yet.",
    ]
    if reference:
        lines += ["", f"Reference database for the size-independent sections: {reference}."]
    return lines


def load_scale(results_dir):
    """{database: {module: data}} from ``results/scale/<database>/*.json``."""
    by_database = {}
    root = results_dir / "scale"
    if not root.exists():
        return by_database
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        by_database[folder.name] = {
            path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))
        }
    return by_database


def run_section(run, databases):
    """The run every figure should come from: its command, machine, databases and steps."""
    if not run:
        return [
            "## The run",
            "",
            "**No orchestrated run recorded** (`bench/results/run.json` is missing): the figures",
            "below come from separate runs.",
        ]
    machine = run["machine"]
    lines = [
        "## The run",
        "",
        f"`{run['command']}` — started {run['started'][:16].replace('T', ' ')} UTC, finished "
        f"{(run.get('finished') or 'not finished')[:16].replace('T', ' ')}, on {machine['cpu']} "
        f"({machine['cores']} cores, {machine['memory']}).",
        "",
        "| database | members | organisations | size |",
        "|---|---:|---:|---:|",
    ]
    for known in databases:
        lines.append(
            f"| {known['name']} | {known['members']:,} | {known['organizations']:,} "
            f"| {known['database_bytes'] / GB:.2f} GB |"
        )
    lines += [
        "",
        "| step | database | seconds | load before | load after | outcome |",
        "|---|---|---:|---:|---:|---|",
    ]
    for step in run["steps"]:
        lines.append(
            f"| {step['module']} | {step['database']} | {step['seconds']} | "
            f"{step['load_before'][0]} | {step['load_after'][0]} | "
            f"{'ok' if step['ok'] else '**failed**'} |"
        )
    return lines

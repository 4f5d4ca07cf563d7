"""Every benchmark in one side-by-side run, then BENCHMARKS.md (python -m bench.all).

    python -m bench.all --databases yl_bench_05m yl_bench_2m yl_bench_5m

For each database (PostgreSQL at ``--server``, default the server of DATABASE_URL or
127.0.0.1:5432 as postgres) the benchmarks whose cost depends on the data's size (``SCALED``)
run and write their results to ``bench/results/scale/<database>/``. On the reference database
(``--reference``, default the one nearest 2,000,000 members) they run with their full options and
write to ``bench/results/`` (copied into its scale folder too), and the size-independent ones
(``ONCE``) run there once. ``bench/results/run.json`` records the run: when each step ran, how
long it took, the load average before and after, each database's size. Then ``bench.report``
writes BENCHMARKS.md from it all and flags any result older than the run.

``--generate`` first builds the databases of ``SIZES`` that do not exist yet.
"""

import argparse
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from urllib.parse import urlparse, urlunparse

from bench import ROOT
from bench.run import RESULTS, machine

LOGS = ROOT / "var" / "bench-logs"

#: database -> (members, organisations) for --generate
SIZES = {
    "yl_bench_05m": (500_000, 25_000),
    "yl_bench_2m": (2_000_000, 100_000),
    "yl_bench_5m": (5_000_000, 250_000),
}
#: module -> (arguments at every size, arguments on the reference database)
SCALED = {
    "scale": ([], []),
    "dashboards": (["--no-live"], []),
    # The stock peer works a row at a time (about 9 rows/s): on the reference, a file of its own.
    "import_roster": (
        ["--formats", "xlsx", "--alternatives", "floor,ours,dry"],
        ["--stock-rows", "1000"],
    ),
}
#: modules run once, on the largest database
LARGEST = {"partitioning": []}
#: modules run once, on the reference database, with their arguments
ONCE = {
    "export_roster": [],
    "read_spreadsheets": [],
    "import_memory": [],
    "breakdowns": [],
    "admin_list": [],
    "tree": [],
    "register_lookup": [],
    "member_indexes": [],
    "rust_writer": [],
    "http_load": [],
}


def now():
    return datetime.now(UTC).isoformat(timespec="seconds")


def url_of(server, database):
    parts = urlparse(server)
    return urlunparse(parts._replace(path=f"/{database}"))


def psql(server, sql, database="postgres"):
    answer = subprocess.run(
        ["psql", url_of(server, database), "-tAc", sql], capture_output=True, text=True
    )
    return answer.stdout.strip() if answer.returncode == 0 else None


def facts(server, database):
    """Members, organisations and bytes of one database (None if it is missing)."""
    line = psql(
        server,
        "SELECT (SELECT count(*) FROM members_member), (SELECT count(*) FROM "
        "branches_organization), pg_database_size(current_database())",
        database,
    )
    if not line:
        return None
    members, organizations, size = map(int, line.split("|"))
    return {
        "name": database,
        "members": members,
        "organizations": organizations,
        "database_bytes": size,
    }


def nearest(databases, members):
    """The database whose member count is nearest ``members`` (on a log scale)."""
    return min(databases, key=lambda d: abs(math.log(d["members"] / members)))["name"]


def step(run, module, database, server, args, results_dir, log):
    """One benchmark in its own process; its time and the load around it go in the manifest."""
    env = {**os.environ, "DATABASE_URL": url_of(server, database)}
    env["BENCH_RESULTS_DIR"] = str(results_dir or RESULTS)
    record = {
        "module": module,
        "database": database,
        "args": args,
        "started": now(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"[{record['started']}] {module} on {database} {' '.join(args)}", flush=True)
    began = time.perf_counter()
    with open(log, "a") as out:
        out.write(f"\n=== {record['started']} {module} {database} {args}\n")
        out.flush()
        code = subprocess.run(
            [sys.executable, "-m", f"bench.{module}", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        ).returncode
    record.update(
        seconds=round(time.perf_counter() - began, 1),
        load_after=[round(x, 2) for x in os.getloadavg()],
        ok=code == 0,
    )
    if code:
        print(f"    failed ({code}); see {log}", flush=True)
    run["steps"].append(record)
    write_manifest(run)
    return record


def write_manifest(run):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "run.json").write_text(json.dumps(run, ensure_ascii=False, indent=2))


def generate(server, database):
    members, organizations = SIZES[database]
    psql(server, f'CREATE DATABASE "{database}"')
    env = {**os.environ, "DATABASE_URL": url_of(server, database)}
    env.pop("BENCH_RESULTS_DIR", None)
    began = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.generate",
            "--members",
            str(members),
            "--orgs",
            str(organizations),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return round(time.perf_counter() - began)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", nargs="+", default=list(SIZES))
    parser.add_argument("--reference", help="the database of the size-independent benchmarks")
    parser.add_argument("--server", help="postgres://user@host:port/ (default from DATABASE_URL)")
    parser.add_argument("--only", nargs="*", help="run only these modules")
    parser.add_argument("--skip", nargs="*", default=[], help="leave these modules out")
    parser.add_argument("--scaled-only", action="store_true", help="no size-independent ones")
    parser.add_argument("--generate", action="store_true", help="build missing databases first")
    parser.add_argument(
        "--args",
        nargs=2,
        action="append",
        default=[],
        metavar=("MODULE", "ARGUMENTS"),
        help='a module\'s arguments at every size, e.g. --args dashboards "--runs 10"',
    )
    parser.add_argument("--no-report", action="store_true")
    options = parser.parse_args(argv)
    server = (
        options.server or os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/"
    )
    server = url_of(server, "")
    overrides = {module: arguments.split() for module, arguments in options.args}
    wanted = lambda module: (  # noqa: E731
        (not options.only or module in options.only) and module not in options.skip
    )
    run = {
        "started": now(),
        "command": shlex.join(
            ["python", "-m", "bench.all", *(sys.argv[1:] if argv is None else argv)]
        ),
        "machine": machine(),
        "databases": [],
        "steps": [],
    }
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"all-{run['started'].replace(':', '')}.log"
    for database in options.databases:
        known = facts(server, database)
        if known is None and options.generate and database in SIZES:
            seconds = generate(server, database)
            known = facts(server, database)
            known["generated_seconds"] = seconds
        if known is None:
            raise SystemExit(f"Database {database} is missing or not a benchmark database.")
        run["databases"].append(known)
    reference = options.reference or nearest(run["databases"], 2_000_000)
    run["reference"] = reference
    write_manifest(run)
    for known in sorted(run["databases"], key=lambda d: d["members"]):
        database = known["name"]
        folder = RESULTS / "scale" / database
        psql(server, "CHECKPOINT", database)
        for module, (scaled_args, reference_args) in SCALED.items():
            if not wanted(module):
                continue
            if module in overrides:
                scaled_args = reference_args = overrides[module]
            if database == reference:
                record = step(run, module, database, server, reference_args, None, log)
                if record["ok"] and (RESULTS / f"{module}.json").exists():
                    folder.mkdir(parents=True, exist_ok=True)
                    shutil.copy(RESULTS / f"{module}.json", folder / f"{module}.json")
            else:
                step(run, module, database, server, scaled_args, folder, log)
        known["database_bytes_after"] = (facts(server, database) or {}).get("database_bytes")
    largest = max(run["databases"], key=lambda d: d["members"])["name"]
    for module, args in LARGEST.items():
        if wanted(module):
            step(run, module, largest, server, overrides.get(module, args), None, log)
    if not options.scaled_only:
        for module, args in ONCE.items():
            if wanted(module):
                step(run, module, reference, server, overrides.get(module, args), None, log)
    run["finished"] = now()
    write_manifest(run)
    failed = [f"{s['module']} on {s['database']}" for s in run["steps"] if not s["ok"]]
    if failed:
        print("Failed:", ", ".join(failed), f"(log: {log})", flush=True)
    if not options.no_report:
        subprocess.run([sys.executable, "-m", "bench.report"], cwd=ROOT, check=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

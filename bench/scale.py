"""What grows with the database: disk, a city's roster export, the stored-count rebuild, ANALYZE,
a backup, and look-ups of a fixed and of a growing scope (python -m bench.scale).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yl_bench_05m python -m bench.scale

``bench.all`` runs it on every database size; ``bench.report_scale`` fits the growth curves.
The stored-count rebuild rewrites the counts it recomputes (the same values), so the run leaves
the data as it found it.
"""

import argparse
import os
import random
import subprocess
import tempfile

from bench import setup_django
from bench.run import Timer, answer, in_child, machine, percentile, save, summary

LOOKUPS = 30
TABLES = 12  # the largest tables listed one by one


def sizes():
    """Database, table and index bytes: the disk per million members is read from these."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid),
                   pg_total_relation_size(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname = 'public'
            ORDER BY pg_total_relation_size(c.oid) DESC
            """
        )
        rows = cursor.fetchall()
    tables = [
        {"table": name, "table_bytes": table, "index_bytes": index, "total_bytes": total}
        for name, table, index, total in rows
    ]
    return {
        "database_bytes": database,
        "tables_bytes": sum(t["table_bytes"] for t in tables),
        "indexes_bytes": sum(t["index_bytes"] for t in tables),
        "tables": tables[:TABLES],
    }


def export_city(path):
    """The roster of the first city, through the project's export: the rows/s at this size."""
    from branches.models import Organization
    from reports.submissions.exporting import export_write
    from reports.tables.base import get_table

    city = Organization.objects.filter(kind="city").order_by("path").first()
    with Timer() as timer:
        rows = export_write(table=get_table("roster"), organization=city, target=path, log=False)
    return {"city": city.name, "rows": rows.rows, "seconds": round(timer.seconds, 2)}


def fine(values):
    """p50/p95 in milliseconds to the microsecond: index look-ups take a fraction of one."""
    result = summary(values)
    for key, fraction in (("p50_ms", 0.5), ("p95_ms", 0.95), ("min_ms", 0)):
        result[key] = round(percentile(values, fraction) * 1000, 3)
    return result


def timed_queries(rng, runs):
    """p50/p95 of look-ups whose scope is fixed (one member, one grassroots committee) and of one
    whose scope grows with the data (a city): the first should stay flat as the table grows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM members_member")
        top = cursor.fetchone()[0]
        cursor.execute(
            "SELECT id_number FROM members_member WHERE id = ANY(%s)",
            [[rng.randrange(1, top + 1) for _ in range(runs * 3)]],
        )
        numbers = [row[0] for row in cursor.fetchall()][:runs]
        cursor.execute("SELECT path FROM branches_organization WHERE kind = 'grassroots'")
        grassroots = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT path FROM branches_organization WHERE kind = 'city' ORDER BY path")
        cities = [row[0] for row in cursor.fetchall()]
    subtree = (
        "SELECT count(*) FROM members_member m JOIN branches_organization o ON o.id = m.branch_id "
        "WHERE o.path LIKE %s"
    )
    plans = {
        "member by ID number": ("SELECT id FROM members_member WHERE id_number = %s", numbers),
        "grassroots subtree count": (
            subtree,
            [rng.choice(grassroots) + "%" for _ in range(runs)],
        ),
        "city subtree count": (
            subtree,
            [rng.choice(cities) + "%" for _ in range(max(3, runs // 5))],
        ),
    }
    results = {}
    with connection.cursor() as cursor:
        for name, (sql, params) in plans.items():
            cursor.execute(sql, [params[0]])  # warm
            cursor.fetchall()
            times = []
            for value in params:
                with Timer() as timer:
                    cursor.execute(sql, [value])
                    cursor.fetchall()
                times.append(timer.seconds)
            results[name] = fine(times)
    return results


def dump(path):
    """A custom-format pg_dump of the whole database: the backup time and size of one database."""
    url = os.environ["DATABASE_URL"]
    with Timer() as timer:
        subprocess.run(["pg_dump", "-Fc", "-f", path, url], check=True)
    return {"seconds": round(timer.seconds, 1), "bytes": os.path.getsize(path)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=("export",))
    parser.add_argument("--target")
    parser.add_argument("--lookups", type=int, default=LOOKUPS)
    parser.add_argument("--no-dump", action="store_true", help="skip the pg_dump timing")
    parser.add_argument("--no-rebuild", action="store_true", help="skip rebuild_tallies")
    options = parser.parse_args()
    if options.child == "export":
        setup_django()
        answer(**export_city(options.target))
        return
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from branches.models import Organization
    from members.models import Member

    results = {
        "machine": machine(),
        "members": Member.objects.count(),
        "organizations": Organization.objects.count(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
    results["disk"] = sizes()
    print("disk", results["disk"]["database_bytes"], flush=True)
    results["queries"] = timed_queries(random.Random(1), options.lookups)
    print("queries", results["queries"], flush=True)
    connection.close()  # the child and the rebuild must not wait on this session
    with tempfile.TemporaryDirectory() as folder:
        exported, peak = in_child(
            "bench.scale", "--child", "export", "--target", f"{folder}/r.xlsx"
        )
    exported.update(
        peak_mb=round(peak, 1), rows_per_s=round(exported["rows"] / exported["seconds"])
    )
    results["export_city"] = exported
    print("export", exported, flush=True)
    if not options.no_rebuild:
        with Timer() as timer:
            call_command("rebuild_tallies", verbosity=0)
        results["rebuild_tallies_seconds"] = round(timer.seconds, 1)
        print("rebuild_tallies", results["rebuild_tallies_seconds"], flush=True)
    with connection.cursor() as cursor, Timer() as timer:
        cursor.execute("ANALYZE")
    results["analyze_seconds"] = round(timer.seconds, 1)
    if not options.no_dump:
        connection.close()
        with tempfile.TemporaryDirectory() as folder:
            results["dump"] = dump(f"{folder}/db.dump")
        print("dump", results["dump"], flush=True)
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    save("scale", results)


if __name__ == "__main__":
    main()

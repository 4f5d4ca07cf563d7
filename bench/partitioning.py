"""Declarative partitioning by region against one table, measured on a copy of the members.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yl_bench_5m python -m bench.partitioning

The generator's province has ten cities; each stands in for a province. Inside one transaction
that is rolled back (the database is left as it was), the members' look-up columns are copied
twice: into one plain table, and into a table list-partitioned by the city, each with the same
indexes. Then, on both:

* building the indexes (what a migration or a restore pays);
* a member by ID number without the region known (every partition's index is probed), and with
  it (pruned to one partition);
* counting one grassroots committee's members, and one region's members.
"""

import argparse
import os
import random

from bench import setup_django
from bench.run import Timer, machine, save
from bench.scale import fine

RUNS = 30

COPY = """
INSERT INTO {table} (id, id_number, branch_path, region)
SELECT m.id, m.id_number, o.path, substr(o.path, 5, 4)
FROM members_member m JOIN branches_organization o ON o.id = m.branch_id
WHERE o.depth >= 2
"""


def create(cursor, regions):
    columns = "(id bigint, id_number varchar(18), branch_path varchar(255), region char(4))"
    cursor.execute(f"CREATE TEMP TABLE plain_member {columns}")
    cursor.execute(f"CREATE TEMP TABLE part_member {columns} PARTITION BY LIST (region)")
    for region in regions:
        cursor.execute(
            f"CREATE TEMP TABLE part_member_{region} PARTITION OF part_member FOR VALUES IN (%s)",
            [region],
        )


def timed(cursor, sql, values):
    cursor.execute(sql, values[0])
    cursor.fetchall()
    times = []
    for params in values:
        with Timer() as timer:
            cursor.execute(sql, params)
            cursor.fetchall()
        times.append(timer.seconds)
    return fine(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
    options = parser.parse_args()
    setup_django()
    from django.db import connection, transaction

    rng = random.Random(1)
    results = {
        "machine": machine(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "steps": {},
        "queries": {},
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL temp_buffers = '1GB'")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")  # same plans on both
        cursor.execute("SELECT substr(path, 5, 4) FROM branches_organization WHERE kind = 'city'")
        regions = sorted({row[0] for row in cursor.fetchall()})
        create(cursor, regions)
        for table in ("plain_member", "part_member"):
            with Timer() as timer:
                cursor.execute(COPY.format(table=table))
            results["steps"][f"{table} copy"] = round(timer.seconds, 2)
            with Timer() as timer:
                cursor.execute(f"CREATE INDEX ON {table} (id_number)")
                cursor.execute(f"CREATE INDEX ON {table} (branch_path varchar_pattern_ops)")
            results["steps"][f"{table} indexes"] = round(timer.seconds, 2)
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("SELECT count(*) FROM plain_member")
        results["members"] = cursor.fetchone()[0]
        results["regions"] = len(regions)
        cursor.execute(
            "SELECT id_number, region FROM plain_member TABLESAMPLE SYSTEM (1) LIMIT %s",
            [options.runs],
        )
        people = cursor.fetchall()
        cursor.execute(
            "SELECT path, substr(path, 5, 4) FROM branches_organization WHERE kind = 'grassroots'"
        )
        grassroots = rng.sample(cursor.fetchall(), options.runs)
        by_id = "SELECT id FROM {} WHERE id_number = %s"
        by_id_region = "SELECT id FROM {} WHERE id_number = %s AND region = %s"
        subtree = "SELECT count(*) FROM {} WHERE branch_path LIKE %s"
        subtree_region = "SELECT count(*) FROM {} WHERE branch_path LIKE %s AND region = %s"
        region_count = "SELECT count(*) FROM {} WHERE region = %s"
        plans = {
            "member by ID number, region unknown": (by_id, [(p[0],) for p in people]),
            "member by ID number, region known": (by_id_region, people),
            "grassroots subtree count, region known": (
                subtree_region,
                [(g[0] + "%", g[1]) for g in grassroots],
            ),
            "grassroots subtree count, region unknown": (
                subtree,
                [(g[0] + "%",) for g in grassroots],
            ),
            "one region's members": (
                region_count,
                [(r,) for r in rng.choices(regions, k=max(3, options.runs // 5))],
            ),
        }
        for name, (sql, values) in plans.items():
            results["queries"][name] = {
                table: timed(cursor, sql.format(table), values)
                for table in ("plain_member", "part_member")
            }
            print(name, results["queries"][name], flush=True)
        transaction.set_rollback(True)
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    save("partitioning", results)


def partitioning_section(data):
    """The members' look-up columns in one table against a table list-partitioned by region."""
    if not data:
        return []
    lines = [
        "### Partitioning by region, measured",
        "",
        f"`python -m bench.partitioning` on {data['members']:,} members: their look-up columns",
        f"copied into one table and into one list-partitioned by region ({data['regions']}",
        "partitions, the generator's cities standing in for provinces), same indexes, in a",
        "transaction rolled back.",
        "",
        "| query | one table p50 | p95 | partitioned p50 | p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, measured in data["queries"].items():
        plain, part = measured["plain_member"], measured["part_member"]
        lines.append(
            f"| {name} | {plain['p50_ms']} ms | {plain['p95_ms']} ms | {part['p50_ms']} ms "
            f"| {part['p95_ms']} ms |"
        )
    steps = data["steps"]
    lines += [
        "",
        f"Copy and index build: one table {steps['plain_member copy']} s + "
        f"{steps['plain_member indexes']} s, partitioned {steps['part_member copy']} s + "
        f"{steps['part_member indexes']} s. Without the region in the query every partition's",
        "index is probed; with it the partitioned table prunes to one partition, which helps",
        "only queries over a whole region (the ones the stored counts already answer).",
    ]
    return lines


if __name__ == "__main__":
    main()

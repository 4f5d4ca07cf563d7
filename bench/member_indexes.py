"""The member table with and without the three indexes that repeated others (migration 0012).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.member_indexes

On the migrated benchmark database, inside transactions that are rolled back:

* ``before``: the three indexes created again as they were (``member_id_prefix_idx`` and the
  single-column indexes of ``branch_id`` and ``developing_organization_id``), their size
  measured, then N member rows inserted (copies of existing rows with new ID numbers);
* ``after``: the same insert without them.

The two alternate, three times each. It also records which index serves the look-ups the dropped
indexes could have served: an ID-number prefix, a branch's members, a developer's members.
"""

import argparse
import os

from bench import setup_django
from bench.run import Timer, machine, save

ROWS = 20_000
REPEATS = 3
DROPPED = [
    ("member_id_prefix_idx", "id_number varchar_pattern_ops"),
    ("members_member_branch_id_7b3cf145", "branch_id"),
    ("members_member_developing_organization_id_6255a505", "developing_organization_id"),
]
LOOKUPS = {
    "ID number prefix": "SELECT id FROM members_member WHERE id_number LIKE %s LIMIT 50",
    "a branch's members": "SELECT id FROM members_member WHERE branch_id = %s",
    "a developer's members": "SELECT id FROM members_member WHERE developing_organization_id = %s",
}


def _insert(cursor, rows):
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'members_member'"
        " AND column_name NOT IN ('id', 'id_number', 'development_number')"
    )
    columns = ", ".join(f'"{name}"' for (name,) in cursor.fetchall())
    with Timer() as timer:
        cursor.execute(
            f"INSERT INTO members_member (id_number, {columns})"
            f" SELECT 'B' || lpad(id::text, 17, '0'), {columns}"
            " FROM members_member ORDER BY id LIMIT %s",
            [rows],
        )
    return timer.seconds


def run(with_indexes, rows):
    from django.db import connection, transaction

    result = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if with_indexes:
            sizes = {}
            for name, definition in DROPPED:
                cursor.execute(f'CREATE INDEX "{name}" ON members_member ({definition})')
                cursor.execute("SELECT pg_relation_size(%s::regclass)", [name])
                sizes[name] = cursor.fetchone()[0]
            result["index_bytes"] = sizes
        result["insert_seconds"] = _insert(cursor, rows)
        transaction.set_rollback(True)
    return result


def plans():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, branch_id, developing_organization_id FROM members_member"
            " ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM members_member)"
        )
        id_number, branch, developer = cursor.fetchone()
        found = {}
        for name, sql in LOOKUPS.items():
            value = (
                id_number[:14] + "%"
                if "LIKE" in sql
                else (branch if "branch_id" in sql else developer)
            )
            cursor.execute("EXPLAIN " + sql, [value])
            plan = "\n".join(line for (line,) in cursor.fetchall())
            found[name] = [
                word for word in plan.replace("(", " ").split() if word.endswith(("_idx", "_like"))
            ]
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    options = parser.parse_args()
    setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), pg_indexes_size('members_member') FROM members_member")
        members, index_bytes = cursor.fetchone()
    results = {
        "machine": machine(),
        "members": members,
        "rows": options.rows,
        "load_average": round(os.getloadavg()[0], 1),
        "indexes_bytes_after": index_bytes,
        "runs": [],
    }
    for _ in range(options.repeats):
        for with_indexes in (True, False):
            run_result = {"indexes": "before" if with_indexes else "after"}
            run_result.update(run(with_indexes, options.rows))
            results["runs"].append(run_result)
            print(run_result, flush=True)
    results["lookups"] = plans()
    print(results["lookups"])
    save("member_indexes", results)


if __name__ == "__main__":
    main()

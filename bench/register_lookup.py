"""Finding the register entry that holds a number, as the register grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.register_lookup
    ... python -m bench.register_lookup --sizes 10000 100000    # a busy machine: smaller sizes

Every single-member save asks ``UnusedNumber.objects.containing(number)``. For each size the
register gets that many extra entries (spans of five numbers of a year of their own, inside one
transaction that is rolled back, so that the database is left as it was), then the same random
numbers, half inside an entry and half in the gaps, are looked up both ways:

* ``comparisons``: ``first <= n AND last >= n``, the earlier spelling, served by the b-tree on
  (first, last), which reads from one end of the register up to ``n``;
* ``gist``: ``int8range(first, last, '[]') @> n``, the current ``containing()``, served by the
  GiST index of the register's exclusion constraint.
"""

import argparse
import os
import random
import re

from bench import setup_django
from bench.run import Timer, machine, save, summary

SIZES = (10_000, 100_000, 1_000_000)
LOOKUPS = 300
USING = re.compile(r"(?:Index|Index Only|Bitmap Index) Scan (?:Backward )?(?:using|on) (\w+)")
#: the extra entries' year: 2099, which no real register holds
BASE = 209_900_000_000


def measure(size, lookups):
    from django.db import connection, transaction

    from members.models import UnusedNumber

    rng = random.Random(size)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM members_numberrange ORDER BY id LIMIT 1")
            row = cursor.fetchone()
            # The foreign keys are checked at commit, and this transaction never commits.
            range_id = row[0] if row else 0
            cursor.execute(
                "SELECT organization_id FROM members_numberrange WHERE id = %s", [range_id]
            )
            row = cursor.fetchone()
            organization_id = row[0] if row else 0
            cursor.execute(
                "INSERT INTO members_unusednumber (first, last, number_range_id,"
                " organization_id, status, explanation, registered_at)"
                " SELECT %s + 10 * i, %s + 10 * i + 4, %s, %s, 'unused', 'bench', now()"
                " FROM generate_series(0, %s - 1) AS i",
                [BASE, BASE, range_id, organization_id, size],
            )
            cursor.execute("ANALYZE members_unusednumber")
        numbers = [BASE + 10 * rng.randrange(size) + rng.randrange(10) for _ in range(lookups)]
        ways = {
            "comparisons": lambda n: UnusedNumber.objects.filter(first__lte=n, last__gte=n),
            "gist": lambda n: UnusedNumber.objects.containing(n),
        }
        result = {"entries": UnusedNumber.objects.count()}
        answers = {}
        for way, query in ways.items():
            answers[way] = [query(n).exists() for n in numbers[:50]]  # also warms the cache
            times = []
            for number in numbers:
                with Timer() as timer:
                    query(number).exists()
                times.append(timer.seconds)
            plan = query(numbers[0]).order_by().explain()
            result[way] = {**summary(times), "indexes": sorted(set(USING.findall(plan)))}
        assert answers["comparisons"] == answers["gist"], "the two spellings disagree"
        transaction.set_rollback(True)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--lookups", type=int, default=LOOKUPS)
    options = parser.parse_args()
    setup_django()
    results = {
        "machine": machine(),
        "lookups": options.lookups,
        "load_average": round(os.getloadavg()[0], 1),
        "runs": [],
    }
    for size in options.sizes:
        run = {"added": size, **measure(size, options.lookups)}
        results["runs"].append(run)
        print(run, flush=True)
    save("register_lookup", results)


if __name__ == "__main__":
    main()

"""Breakdowns and the annual statistics at province scale: p50/p95 over the runs, with their
query counts, timed like the dashboards (in-process through the whole Django stack).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.breakdowns

Each page is timed under three alternatives in the same run:

* ``grouped by child path, no covering index``: the first version, one query grouping the
  members straight by the path prefix of their branch (a join and a substring per member),
  with the index measured dropped (inside a transaction rolled back afterwards);
* ``grouped by child path``: the same query with the covering index present;
* ``by branch, rolled up`` (what the pages run): the members counted by branch id from the
  covering index ``member_breakdown_idx``, then the per-branch rows summed to the child prefix
  in the same statement (:func:`reports.rollup.rolled_up`).

The statistics pages are timed for the year in progress (counted from the member table) and for
last year (read from its frozen figures; the benchmark freezes that year first if it is not
frozen yet, which is what the December 31 task does).
"""

import argparse
import os
from contextlib import contextmanager
from unittest import mock

from bench import setup_django
from bench.dashboards import measure
from bench.run import machine, save

RUNS = 10
INDEX = "member_breakdown_idx"


def grouped_by_path(queryset, organization, depth, *, counts, keys=None, organization_keys=None):
    """The first version's query, with :func:`reports.rollup.rolled_up`'s signature: the rows
    grouped straight by the path prefix of their organisation (a join and a substring per row)."""
    from django.db.models import F

    from reports.metrics.base import level_key

    keys = dict(keys or {})
    keys.update({name: F(f"{organization}__{c}") for name, c in (organization_keys or {}).items()})
    return list(
        queryset.annotate(key=level_key(f"{organization}__path", depth), **keys)
        .values("key", *keys)
        .annotate(**counts)
        .order_by()
    )


@contextmanager
def by_path():
    with (
        mock.patch("reports.breakdowns.rolled_up", grouped_by_path),
        mock.patch("reports.statistics.figures.rolled_up", grouped_by_path),
    ):
        yield


@contextmanager
def without_index():
    """The covering index dropped for the duration, in a transaction rolled back afterwards."""
    from django.db import connection, transaction

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic(), by_path():
            with connection.cursor() as cursor:
                cursor.execute(f"DROP INDEX {INDEX}")
            yield
            raise Rollback
    except Rollback:
        pass


@contextmanager
def as_is():
    yield


ALTERNATIVES = {
    "grouped by child path, no covering index": without_index,
    "grouped by child path": by_path,
    "by branch, rolled up": as_is,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--only", choices=list(ALTERNATIVES), action="append")
    options = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from members.models import Member
    from reports.statistics.freeze import statistics_freeze

    year = timezone.localdate().year
    statistics_freeze(year=year - 1)
    pages = {
        "province breakdown, one attribute": (
            "bench-province",
            "/reports/breakdown/?by=education",
        ),
        "province breakdown, two attributes": (
            "bench-province",
            "/reports/breakdown/?by=ethnicity&then=age",
        ),
        "city breakdown, two attributes": (
            "bench-city",
            "/reports/breakdown/?by=identity&then=gender",
        ),
        "province statistics, year in progress": (
            "bench-province",
            f"/reports/statistics/?year={year}",
        ),
        "province statistics, frozen year": (
            "bench-province",
            f"/reports/statistics/?year={year - 1}",
        ),
        "city statistics, year in progress": ("bench-city", f"/reports/statistics/?year={year}"),
    }
    results = {
        "machine": machine(),
        "members": Member.objects.count(),
        "load_before": [round(x, 1) for x in os.getloadavg()],
        "alternatives": list(options.only or ALTERNATIVES),
        "pages": {},
    }
    for alternative in results["alternatives"]:
        with ALTERNATIVES[alternative]():
            for name, (username, url) in pages.items():
                client = Client(HTTP_HOST="127.0.0.1")
                client.force_login(get_user_model().objects.get(username=username))
                measured = {"url": url, **measure(client, url, options.runs)}
                results["pages"].setdefault(name, {})[alternative] = measured
                print(alternative, "|", name, measured, flush=True)
    results["load_after"] = [round(x, 1) for x in os.getloadavg()]
    save("breakdowns", results)


if __name__ == "__main__":
    main()

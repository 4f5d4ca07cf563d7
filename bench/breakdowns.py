"""Breakdowns and the annual statistics at province scale: p50/p95 over the runs, with their
query counts, timed like the dashboards (in-process through the whole Django stack).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.breakdowns

Each page is timed under three alternatives in the same run:

* ``grouped by child path, JIT on``: as the pages first ran: each count grouped straight by the
  path prefix of the child the row's organisation sits under, PostgreSQL's JIT on (its default);
* ``by branch, rolled up, JIT off``: each count made by organisation first and summed to the
  children in the same statement (:mod:`bench.rollup_alternative`);
* ``now: grouped by child path, JIT off``: what the pages run (the settings turn JIT off).

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


@contextmanager
def jit(setting):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SET jit = {setting}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


@contextmanager
def with_jit():
    with jit("on"):
        yield


@contextmanager
def by_branch():
    from bench import rollup_alternative as alternative

    with (
        mock.patch("reports.views_statistics.breakdown_of", alternative.breakdown_by_branch),
        mock.patch("reports.statistics.figures._grouped", alternative.grouped),
    ):
        yield


@contextmanager
def as_is():
    yield


ALTERNATIVES = {
    "grouped by child path, JIT on": with_jit,
    "by branch, rolled up, JIT off": by_branch,
    "now: grouped by child path, JIT off": as_is,
}


def _show_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


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
        "jit_in_settings": _show_jit(),
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

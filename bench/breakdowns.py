"""Breakdowns and the annual statistics at province scale: p50/p95 over the runs, with their
query counts, timed like the dashboards (in-process through the whole Django stack).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.breakdowns

The statistics pages are timed twice: for the year in progress (counted from the member table)
and for last year (read from its frozen figures; the benchmark freezes that year first if it is
not frozen yet, which is what the December 31 task does).

Not yet run at province scale (the machine was busy with other work). On a 300,000-member data
set (``bench.generate --members 300000 --orgs 15000``) on a loaded two-core machine, three runs
gave p50s of 0.40 s (province, one attribute), 0.67 s (province, two attributes), 0.10 s (city,
two attributes), 0.42 s (province statistics of the year in progress) and 0.09 s (province
statistics of a frozen year). The breakdown is a parallel scan of the member table joined to the
tree and grows with the members counted, so a province of two million is expected to exceed the
dashboard's one-second budget until its counts are stored.
"""

import argparse

from bench import setup_django
from bench.dashboards import measure
from bench.run import machine, save

RUNS = 10


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
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
    results = {"machine": machine(), "members": Member.objects.count(), "pages": {}}
    for name, (username, url) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=username))
        results["pages"][name] = {"url": url, **measure(client, url, options.runs)}
        print(name, results["pages"][name], flush=True)
    save("breakdowns", results)


if __name__ == "__main__":
    main()

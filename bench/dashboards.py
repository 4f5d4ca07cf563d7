"""Dashboard pages at province scale: p50/p95 over 20 runs, with their query counts, read from
the figure roll-ups (what the pages run) and, side by side in the same run, by the live recount
they ran before (:func:`bench.rollup_alternative.live_recount`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.dashboards

Pages are rendered in-process through Django's test client (middleware, templates and all),
signed in as the benchmark's provincial and city users. ``pages`` holds the roll-up figures,
``live_pages`` the live recount's; ``--no-live`` leaves the latter out.
"""

import argparse
from contextlib import nullcontext

from bench import setup_django
from bench.run import Timer, machine, save, summary

RUNS = 20
PAGES = {
    "province dashboard": ("bench-province", "/dashboard/"),
    "city dashboard": ("bench-city", "/dashboard/"),
    "province notice": ("bench-province", "/reports/notice/?campaign=2019-entry"),
    "province desk": ("bench-province", "/"),
}


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the caches of the database and of Python
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured, Timer() as timer:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times.append(timer.seconds)
        queries = len(captured.captured_queries)
    return {**summary(times), "queries": queries}


def measure_pages(runs, context, label):
    from django.contrib.auth import get_user_model
    from django.test import Client

    results = {}
    with context:
        for name, (username, url) in PAGES.items():
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(get_user_model().objects.get(username=username))
            results[name] = {"url": url, **measure(client, url, runs)}
            print(label, name, results[name], flush=True)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--no-live", action="store_true", help="skip the live recount")
    options = parser.parse_args()
    setup_django()
    from bench.rollup_alternative import live_recount
    from members.models import Member

    results = {"machine": machine(), "members": Member.objects.count()}
    results["pages"] = measure_pages(options.runs, nullcontext(), "roll-ups")
    if not options.no_live:
        results["live_pages"] = measure_pages(options.runs, live_recount(), "live recount")
    save("dashboards", results)


if __name__ == "__main__":
    main()

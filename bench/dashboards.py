"""Dashboard pages at province scale: p50/p95 over 20 runs, with their query counts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.dashboards

Pages are rendered in-process through Django's test client (middleware, templates and all),
signed in as the benchmark's provincial and city users.
"""

import argparse

from bench import setup_django
from bench.run import Timer, machine, save, summary

RUNS = 20


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
    options = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from members.models import Member

    pages = {
        "province dashboard": ("bench-province", "/dashboard/"),
        "city dashboard": ("bench-city", "/dashboard/"),
        "province notice": ("bench-province", "/reports/notice/?campaign=2019-entry"),
    }
    results = {"machine": machine(), "members": Member.objects.count(), "pages": {}}
    for name, (username, url) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=username))
        results["pages"][name] = {"url": url, **measure(client, url, options.runs)}
        print(name, results["pages"][name], flush=True)
    save("dashboards", results)


if __name__ == "__main__":
    main()

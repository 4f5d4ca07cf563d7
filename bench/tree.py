"""The organisation tree and the organisation pickers at province scale (100,000 organisations).

DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.tree

Measures, as the province and as a city: the tree page, the children of the widest node (one
request), a search, the admin's autocomplete behind the number-range form, and the desk.
Query counts must not depend on the size of the tree; times are medians of ``--runs``.
"""

import argparse
from urllib.parse import urlencode

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
    from django.db.models import Count

    from branches.models import Organization
    from members.models import Member

    widest = Organization.objects.order_by("-numchild").only("code", "numchild", "name").first()
    branch_name = (
        Organization.objects.filter(kind="class_branch")
        .values("name")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["name"]
    )
    autocomplete = "/admin/autocomplete/?" + urlencode(
        {
            "app_label": "members",
            "model_name": "numberrange",
            "field_name": "organization",
            "term": branch_name[:4],
        }
    )
    pages = {
        "tree page (province)": ("bench-province", "/tree/"),
        f"children of the widest node ({widest.numchild})": (
            "bench-province",
            f"/tree/children/?org={widest.code}",
        ),
        "tree search (province)": ("bench-province", "/tree/?" + urlencode({"q": branch_name})),
        "tree search (city)": ("bench-city", "/tree/?" + urlencode({"q": branch_name})),
        "autocomplete, number-range form (province)": ("bench-province", autocomplete),
        "autocomplete, number-range form (city)": ("bench-city", autocomplete),
        "desk (province)": ("bench-province", "/"),
        "desk (city)": ("bench-city", "/"),
    }
    from django.test import Client

    results = {
        "machine": machine(),
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "pages": {},
    }
    for name, (username, url) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=username))
        results["pages"][name] = {"url": url, **measure(client, url, options.runs)}
        print(name, results["pages"][name], flush=True)
    save("tree", results)


if __name__ == "__main__":
    main()

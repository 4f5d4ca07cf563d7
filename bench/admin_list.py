"""The admin's member list and its search at province scale.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.admin_list
"""

import argparse

from bench import setup_django
from bench.dashboards import measure
from bench.run import machine, save

RUNS = 20


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
    options = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from members.models import Member

    sample = Member.objects.order_by("id")[Member.objects.count() // 2]
    pages = {
        "member list (province)": ("bench-province", "/admin/members/member/"),
        "member list (city)": ("bench-city", "/admin/members/member/"),
        "search by name": ("bench-province", f"/admin/members/member/?q={sample.name}"),
        "search by pinyin initials": (
            "bench-province",
            f"/admin/members/member/?q={sample.name_initials}",
        ),
        "search by ID number": ("bench-province", f"/admin/members/member/?q={sample.id_number}"),
        "search by development number": (
            "bench-province",
            f"/admin/members/member/?q={sample.development_number_text or sample.id_number}",
        ),
    }
    results = {"machine": machine(), "members": Member.objects.count(), "pages": {}}
    for name, (username, url) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=username))
        results["pages"][name] = {"url": url, **measure(client, url, options.runs)}
        print(name, results["pages"][name], flush=True)
    save("admin_list", results)


if __name__ == "__main__":
    main()

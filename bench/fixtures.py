"""What the benchmarks need beside the bulk data: logins, campaigns, seals and school figures."""

BENCH_PASSWORD = "Bench-2019-pass"


def build_extras(tree, rng):
    from branches.models import Organization, Role
    from branches.services import user_grant
    from reports import demo as campaign_demo

    root = Organization.objects.get(depth=1)
    city = Organization.objects.get(code="350100")
    county = (
        Organization.objects.filter(path__startswith=city.path, depth=3).order_by("path").first()
    )
    branch = (
        Organization.objects.filter(path__startswith=county.path, kind="branch")
        .order_by("path")
        .first()
    )
    for username, organization, role in (
        ("bench-province", root, Role.PROVINCE),
        ("bench-city", city, Role.COMMITTEE),
        ("bench-secretary", branch, Role.SECRETARY),
    ):
        user_grant(username=username, organization=organization, role=role, password=BENCH_PASSWORD)
    campaign_demo.build_campaigns()

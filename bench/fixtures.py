"""What the benchmarks need beside the bulk data: logins, campaigns and school figures."""

BENCH_PASSWORD = "Bench-2019-pass"
EDUCATION_YEAR = 2019


def build_extras(rng):
    from branches.models import Organization, Role
    from branches.services import user_grant
    from reports import demo as campaign_demo
    from reports import schools
    from reports.models import Campaign, EducationCount

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
    Campaign.objects.all().delete()
    campaign_demo.build_campaigns()
    # The education department's counts: most schools near the league's, some far, some absent.
    EducationCount.objects.all().delete()
    rows = []
    for line in schools.school_lines(root, None):
        roll = rng.random()
        if roll < 0.05:
            continue  # the league has the school, the education figures do not
        factor = 1 + (rng.uniform(-0.03, 0.03) if roll < 0.7 else rng.uniform(0.06, 0.5))
        rows.append(
            EducationCount(
                year=EDUCATION_YEAR,
                school_code=line.school_code,
                school_name=line.name.removesuffix("团委"),
                ownership=line.ownership or "public",
                city_name=line.city or "福州市",
                education_count=max(1, round(line.league * factor)),
            )
        )
    for extra in range(50):  # schools only the education department knows (组织空白点)
        rows.append(
            EducationCount(
                year=EDUCATION_YEAR,
                school_code=f"3135999{extra:04d}",
                school_name=f"未建团组织学校{extra}",
                ownership="private",
                city_name="福州市",
                education_count=rng.randrange(20, 200),
            )
        )
    EducationCount.objects.bulk_create(rows, batch_size=2000)

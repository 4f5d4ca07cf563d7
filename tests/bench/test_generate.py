"""The benchmark generator builds a consistent province (a small one here), so that the
benchmarks of BENCHMARKS.md can be reproduced on a fresh database."""

import pytest
from django.db import connection
from django.db.models import Sum

from branches.models import Organization
from members.models import Member, Move, NumberRange, OrganizationTally, UnusedNumber
from reports.metrics import figures_for

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator writes with COPY"),
]


def test_generator_builds_a_consistent_small_province():
    from bench.generate import generate

    generate(members=3000, orgs=400, seed=7)
    assert Organization.objects.count() >= 400
    nodes = dict(Organization.objects.values_list("path", "numchild"))
    step = Organization.steplen
    children = {}
    for path in nodes:
        if len(path) > step:
            assert path[:-step] in nodes, path
            children[path[:-step]] = children.get(path[:-step], 0) + 1
    assert {p: n for p, n in nodes.items() if n} == children
    assert Member.objects.count() == 3000
    assert NumberRange.objects.exists() and UnusedNumber.objects.exists()
    assert Move.objects.filter(developing_organization__isnull=True).count() == 0
    # The stored counts the dashboards read were rebuilt after the COPY.
    new_members = Member.objects.new_members().count()
    assert OrganizationTally.objects.aggregate(n=Sum("new_members"))["n"] == new_members
    root = Organization.objects.get_first_root_node()
    held = Member.objects.filter(development_number__isnull=False).count()
    assert NumberRange.objects.filter(level=1).aggregate(n=Sum("used_count"))["n"] == held
    figures = figures_for(root)
    assert figures["new_members"] == new_members
    assert figures["numbers_used"] == held

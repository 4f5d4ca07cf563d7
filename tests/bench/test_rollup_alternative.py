"""The benchmark's rolled-up candidate (rows counted per organisation, then summed to the level
asked for, in one query) gives the pages' answers, so the benchmark compares like with like."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext

from bench import rollup_alternative
from bench.rollup_alternative import rolled_up
from members.models import Member, MemberStatus
from reports.breakdowns import breakdown, dimension
from reports.metrics.base import level_key
from reports.statistics.comparison import statistics_for
from tests.factories import MemberFactory
from tests.reports.statistics_fixtures import build_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(small_province):
    p = small_province
    for branch, gender, education in (
        (p.branch, "F", "undergraduate"),
        (p.branch, "M", "undergraduate"),
        (p.branch, "M", "senior_secondary"),
        (p.other_branch, "F", "senior_secondary"),
        (p.foreign_branch, "F", "undergraduate"),
    ):
        MemberFactory(branch=branch, gender=gender, education=education)
    MemberFactory(branch=p.foreign_branch, gender="M", status=MemberStatus.WITHDRAWN)
    return p


def rows(found):
    return sorted(tuple(sorted(row.items())) for row in found)


def test_counts_by_child_value_and_branch_column_in_one_query(people):
    p = people
    with CaptureQueriesContext(connection) as queries:
        found = rolled_up(
            Member.objects.in_league().filter(branch__path__startswith=p.province.path),
            "branch",
            p.province.depth + 1,
            keys={"first": F("gender")},
            organization_keys={"second": "kind"},
            counts={"n": Count("id"), "college": Count("id", filter=Q(education="undergraduate"))},
        )
    assert len(queries.captured_queries) == 1
    assert rows(found) == rows(
        [
            {"key": p.city.path, "first": "F", "second": "branch", "n": 2, "college": 1},
            {"key": p.city.path, "first": "M", "second": "branch", "n": 2, "college": 1},
            {"key": p.other_city.path, "first": "F", "second": "branch", "n": 1, "college": 1},
        ]
    )


def test_rows_of_an_organisation_above_the_depth_come_by_its_own_path(people):
    """Counted at a depth below the branches, a branch's rows are keyed by its own path."""
    found = rolled_up(
        Member.objects.filter(branch__path__startswith=people.county.path),
        "branch",
        people.branch.depth + 1,
        counts={"n": Count("id")},
    )
    assert rows(found) == rows(
        [{"key": people.branch.path, "n": 3}, {"key": people.other_branch.path, "n": 1}]
    )


def grouped_by_path(queryset, organization, depth, *, counts, keys, organization_keys):
    keys = {**keys, **{n: F(f"{organization}__{c}") for n, c in organization_keys.items()}}
    return list(
        queryset.annotate(key=level_key(f"{organization}__path", depth), **keys)
        .values("key", *keys)
        .annotate(**counts)
        .order_by()
    )


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_same_answers_as_grouping_by_path(people, depth):
    queryset = Member.objects.in_league().filter(join_date__lte=date(2100, 1, 1))
    arguments = {
        "keys": {"first": F("education")},
        "organization_keys": {"second": "sector"},
        "counts": {"n": Count("id"), "women": Count("id", filter=Q(gender="F"))},
    }
    assert rows(rolled_up(queryset, "branch", depth, **arguments)) == rows(
        grouped_by_path(queryset, "branch", depth, **arguments)
    )


@pytest.mark.parametrize("first,second", [("gender", "education"), ("sector", "age")])
def test_breakdown_gives_the_pages_answers(people, first, second):
    for root in (people.province, people.city, people.county):
        ours = breakdown(root, dimension(first), dimension(second))
        candidate = rollup_alternative.breakdown_by_branch(
            root, dimension(first), dimension(second)
        )
        assert candidate.cells == ours.cells


def test_statistics_give_the_pages_answers(small_province, monkeypatch):
    year = build_year(small_province)

    def figures(organization):
        result = statistics_for(organization, 2025)
        return [[c.current for c in line.comparisons] for line in result.lines]

    ours = [figures(o) for o in (year.province, year.city, year.county)]
    monkeypatch.setattr("reports.statistics.figures._grouped", rollup_alternative.grouped)
    assert [figures(o) for o in (year.province, year.city, year.county)] == ours


def test_the_live_recount_gives_the_figures_the_roll_ups_give(small_province):
    """The benchmark's "before" reads the same figures as the pages, counted live."""
    from reports.metrics import children_and_total

    p = small_province
    MemberFactory(branch=p.branch)
    MemberFactory(branch=p.other_branch)
    stored = children_and_total(p.province)
    with rollup_alternative.live_recount():
        live = children_and_total(p.province)
    assert live == stored
    assert stored[1]["members_in_league"] == 2

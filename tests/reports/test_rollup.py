"""Rows counted per organisation and summed to the level asked for, in one query: the same
answers as grouping every row by its organisation's path prefix (the benchmark's "before")."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext

from bench.breakdowns import grouped_by_path
from members.models import Member, MemberStatus
from reports.rollup import rolled_up
from tests.factories import MemberFactory

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

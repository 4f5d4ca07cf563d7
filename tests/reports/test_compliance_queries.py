"""The ledger figures take the same number of queries for 3 children as for 30."""

import pytest

from members.models import NumberRange
from members.numbers import ledger
from reports.compliance import compliance_rows
from tests.factories import branch, committee, new_member, province

pytestmark = pytest.mark.django_db


def grow(root, children, start=0):
    """``children`` cities under ``root``, each with a range, a county range and a member."""
    NumberRange.objects.get_or_create(
        organization=root, first=201900000001, last=201900099999, defaults={"level": 1}
    )
    for index in range(start, start + children):
        city = committee(root, code=f"GC{index}")
        first = 201900000001 + index * 1000
        NumberRange.objects.create(organization=city, first=first, last=first + 999)
        county = committee(city, code=f"GC{index}-K")
        NumberRange.objects.create(organization=county, first=first, last=first + 99)
        leaf = branch(county, code=f"GC{index}-B")
        new_member(leaf, first + index % 7)


@pytest.mark.parametrize("children", [3, 30])
def test_ledger_by_child_is_one_query(django_assert_num_queries, children):
    root = province(code="P")
    grow(root, children)
    with django_assert_num_queries(1):
        figures = ledger.ledger_by_child(root)
    assert len(figures) == children
    assert all(f["numbers_total"] == 1000 and f["numbers_used"] == 1 for f in figures.values())


def test_compliance_rows_cost_the_same_for_3_and_30_children():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    root = province(code="P")
    grow(root, 0)
    counts = []
    for children, start in ((3, 0), (30, 10)):
        parent = committee(root, code=f"PARENT{children}")
        for index in range(start, start + children):
            city = committee(parent, code=f"GC{index}")
            first = 201900000001 + index * 1000
            NumberRange.objects.create(organization=city, first=first, last=first + 999)
            new_member(branch(city, code=f"GC{index}-B"), first + 1)
        with CaptureQueriesContext(connection) as queries:
            rows = compliance_rows(parent)
        assert len(rows) == children
        assert all(row["numbers_total"] == 1000 and row["numbers_used"] == 1 for row in rows)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_ledger_for_one_organisation_is_one_query(django_assert_num_queries):
    root = province(code="P")
    grow(root, 3)
    with django_assert_num_queries(1):
        figures = ledger.ledger_for(root)
    assert figures["numbers_total"] == 99999
    assert figures["numbers_used"] == 3

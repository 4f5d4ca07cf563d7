"""Figures by tree level on a province with known answers, in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Organization
from reports.metrics import compute_level, figures_for, figures_for_children
from tests import factories

pytestmark = pytest.mark.django_db


def by_code(rows):
    return {org.code: values for org, values in rows}


def test_entry_figures_by_city(scripted_province):
    figures = by_code(figures_for_children(scripted_province.root))
    assert {k: figures["C1"][k] for k in ("new_members", "entered_on_time", "entered_late")} == {
        "new_members": 6,
        "entered_on_time": 4,
        "entered_late": 1,
    }
    assert (
        figures["C2"]["new_members"],
        figures["C2"]["entered_on_time"],
        figures["C2"]["entered_late"],
    ) == (1, 0, 1)
    assert (
        figures["C3"]["new_members"],
        figures["C3"]["entered_on_time"],
        figures["C3"]["entered_late"],
    ) == (0, 0, 0)


def test_graduation_figures_by_city(scripted_province):
    figures = by_code(figures_for_children(scripted_province.root))
    c1 = figures["C1"]
    assert (
        c1["class_branches_with_date"],
        c1["class_branches_without_date"],
        c1["class_branches_exempt"],
    ) == (1, 1, 1)
    assert c1["graduation_fill_ratio"] == 0.5
    assert figures["C2"]["graduation_fill_ratio"] == 0.0
    assert figures["C3"]["graduation_fill_ratio"] is None


def test_figures_at_a_deeper_level_and_for_one_organisation(scripted_province):
    level = compute_level(scripted_province.c1, 3)
    by_path = {Organization.objects.get(path=p).code: v for p, v in level.items()}
    assert set(by_path) == {"K1", "S1"}
    assert by_path["K1"]["new_members"] == 4
    assert by_path["S1"]["new_members"] == 2
    total = figures_for(scripted_province.root)
    assert total["new_members"] == 7
    assert total["entered_late"] == 2
    assert figures_for(scripted_province.cb1)["class_branches_with_date"] == 1


def test_query_count_does_not_grow_with_the_tree(db):
    """The figures of 3 children and of 30 children cost the same number of queries."""

    def count_for(children):
        root = factories.province(code=f"R{children}")
        for index in range(children):
            city = factories.committee(root, code=f"R{children}-{index}")
            factories.MemberFactory(branch=factories.branch(city))
            factories.class_branch(city)
        with CaptureQueriesContext(connection) as queries:
            figures_for_children(root)
        return len(queries.captured_queries)

    assert count_for(3) == count_for(30)


def test_children_and_total_agree_with_the_level_by_level_figures(scripted_province):
    """The dashboard's one-pass total equals the organisation's own figures, at every level,
    including rows of a committee itself (members it developed, its moves, its schools)."""
    from datetime import date, timedelta

    from django.utils import timezone

    from members.models import Move
    from members.moves import services as moves
    from reports.metrics import children_and_total
    from tests.reports.school_fixtures import build_school_province

    p = scripted_province
    build_school_province(p)
    developed_by_city = factories.MemberFactory(
        branch=p.b2,
        developing_organization=p.c1,
        join_date=date(2019, 4, 1),
        birth_date=date(2002, 1, 1),
    )
    for member in (developed_by_city, p.b1.members.first()):
        moves.move_create(
            member=member,
            reason=Move.Reason.EMPLOYMENT,
            moved_on=timezone.localdate() - timedelta(days=400),
            destination_other_province="广东省",
        )
    for parent in (p.root, p.c1, p.k1, p.s1, p.c2, p.b1):
        children, total = children_and_total(parent)
        assert total == figures_for(parent), parent.code
        assert children == figures_for_children(parent), parent.code
    total = children_and_total(p.root)[1]
    assert total["new_members"] == figures_for(p.root)["new_members"] > 0
    assert total["moved_overdue"] == 2 and total["schools_total"] > 0


def test_children_and_total_costs_one_query_less_per_summable_group(scripted_province):
    from reports.metrics import children_and_total, groups

    with CaptureQueriesContext(connection) as separate:
        figures_for_children(scripted_province.root)
        figures_for(scripted_province.root)
    with CaptureQueriesContext(connection) as together:
        children_and_total(scripted_province.root)
    assert len(together) < len(separate)
    assert len(together) <= len(separate) - sum(1 for g in groups() if g.summable)

"""The demo's members: valid, numbered by the stated scheme, some late, written with history."""

from collections import defaultdict
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from branches import demo as tree_demo
from branches.models import Organization
from members import demo
from members.models import BRANCH_KINDS, Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_tree(db):
    return tree_demo.build_tree()


@pytest.fixture
def members(demo_tree):
    demo.build_members(600, seed=3)
    return list(
        Member.objects.select_related("branch", "developing_organization").order_by(
            "developing_organization__path", "development_number"
        )
    )


def test_every_demo_member_is_valid(members):
    assert len(members) == 600
    for member in members:
        member.full_clean(validate_unique=False, validate_constraints=False)
    assert len({m.id_number for m in members}) == 600


def test_demo_spreads_over_branches_years_and_lateness(members):
    assert {m.branch.kind for m in members} <= set(BRANCH_KINDS)
    assert len({m.branch_id for m in members}) > 50
    assert all(m.developing_organization_id == m.branch_id for m in members)
    early = [m for m in members if m.join_date < date(2017, 1, 1)]
    assert early and all(m.development_number is None for m in early)
    assert all(m.development_number for m in members if m.join_date >= date(2017, 1, 1))
    late = [m for m in members if m.entered_late]
    on_time = [m for m in members if m.entry_deadline and not m.entered_late]
    assert late and on_time
    assert {m.join_date.year for m in members} == {2015, 2016, 2017, 2018, 2019}


def test_development_numbers_follow_the_scheme(members):
    """Per year: blocks in tree order from {year}00010001, eight spare numbers between."""
    by_year = defaultdict(list)
    for member in members:
        if member.development_number:
            by_year[member.join_date.year].append(member)
    for year, numbered in by_year.items():
        assert all(str(m.development_number).startswith(str(year)) for m in numbered)
        numbered.sort(key=lambda m: m.development_number)
        assert numbered[0].development_number == int(f"{year}00010001")
        blocks = []
        for member in numbered:
            if (
                blocks
                and blocks[-1][-1].developing_organization_id == member.developing_organization_id
            ):
                blocks[-1].append(member)
            else:
                blocks.append([member])
        paths = [block[0].developing_organization.path for block in blocks]
        assert paths == sorted(paths) and len(set(paths)) == len(paths)
        for block, following in zip(blocks, blocks[1:], strict=False):
            numbers = [m.development_number for m in block]
            assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
            assert following[0].development_number == numbers[-1] + 1 + demo.SPARE_NUMBERS


def test_every_subtree_holds_one_interval_of_numbers_per_year(members, demo_tree):
    """No number of another subtree falls between a subtree's first and last of a year."""
    for city in Organization.objects.children_of(demo_tree):
        for year in (2017, 2018, 2019):
            inside = [
                m.development_number
                for m in members
                if m.join_date.year == year and m.branch.path.startswith(city.path)
            ]
            if not inside:
                continue
            low, high = min(inside), max(inside)
            outside = [
                m.development_number
                for m in members
                if m.join_date.year == year and not m.branch.path.startswith(city.path)
            ]
            assert not [n for n in outside if low <= n <= high]


def test_demo_members_have_history(members):
    assert Member.history.count() == 600
    assert set(Member.history.values_list("history_type", flat=True)) == {"+"}


def test_demo_inserts_in_bulk(demo_tree):
    """1500 members (and their 1500 history rows) are written in batches: a fixed handful of
    reads plus INSERTs of many rows each, never a query per member. Counted, not timed."""
    count = 1500
    with CaptureQueriesContext(connection) as captured:
        demo.build_members(count, seed=5)
    assert Member.objects.count() == count
    assert Member.history.count() == count
    sql = [query["sql"] for query in captured.captured_queries]
    inserts = [text for text in sql if text.startswith("INSERT")]
    others = [text for text in sql if not text.startswith("INSERT")]
    # 10, and the figure roll-ups' upkeep after the bulk insert (a fixed handful).
    assert len(others) <= 16, others
    rows_per_insert = 2 * count / len(inserts)
    assert rows_per_insert >= 25, f"{len(inserts)} INSERTs for {2 * count} rows"


@override_settings(DEBUG=True)
def test_seed_demo_honours_members(capsys):
    call_command("seed_demo", "--members", "120")
    assert Member.objects.count() == 120
    assert "120" in capsys.readouterr().out

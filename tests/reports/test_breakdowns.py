"""Breakdowns of a committee's active members: known answers at every level, one grouped query
whatever the number of children, the page (scoped, 404 outside) and its spreadsheet.

The tree (``small_province``): P > C1 甲市 > C1-K1 甲县 > B1, B2; P > C2 乙市 > C2-K1 > B1 of 乙县.
"""

import io
from datetime import date
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Organization
from members.models import MemberStatus
from reports.breakdowns import breakdown, dimension
from reports.tables.breakdown import BREAKDOWN
from tests.factories import MemberFactory, branch, committee, province
from tests.xlsx import read_xlsx

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture
def people(small_province):
    """B1: 汉 F undergraduate 20, 回 M undergraduate 24, 汉 M senior 17, and one who left;
    B2: 回 F senior 26; 乙县 B1: 汉 F undergraduate 28 (retained)."""
    p = small_province
    MemberFactory(
        branch=p.branch,
        ethnicity="01",
        gender="F",
        education="undergraduate",
        birth_date=date(2006, 1, 1),
    )
    MemberFactory(
        branch=p.branch,
        ethnicity="03",
        gender="M",
        education="undergraduate",
        birth_date=date(2002, 3, 1),
    )
    MemberFactory(
        branch=p.branch,
        ethnicity="01",
        gender="M",
        education="senior_secondary",
        birth_date=date(2008, 6, 2),
        join_date=date(2022, 5, 4),
    )
    MemberFactory(branch=p.branch, ethnicity="03", status=MemberStatus.WITHDRAWN)
    MemberFactory(
        branch=p.other_branch,
        ethnicity="03",
        gender="F",
        education="senior_secondary",
        birth_date=date(2000, 1, 1),
    )
    MemberFactory(
        branch=p.foreign_branch,
        ethnicity="01",
        gender="F",
        education="undergraduate",
        birth_date=date(1998, 6, 1),
        status=MemberStatus.RETAINED,
    )
    return p


def test_breakdown_by_one_dimension_at_the_province(people):
    result = breakdown(people.province, dimension("ethnicity"), today=TODAY)
    assert result.total == 5
    assert [(str(label), n) for _v, label, n in result.first_totals()] == [("汉族", 3), ("回族", 2)]
    assert [(child.code, counts, total) for child, counts, total in result.child_rows()] == [
        ("C1", [2, 2], 4),
        ("C2", [1, 0], 1),
    ]


def test_breakdown_by_two_dimensions_at_the_city(people):
    result = breakdown(people.city, dimension("education"), dimension("gender"), today=TODAY)
    assert [value for value, _label in result.first_values] == ["senior_secondary", "undergraduate"]
    assert [value for value, _label in result.second_values] == ["M", "F"]
    assert [(counts, total) for _label, counts, total in result.cross_rows()] == [
        ([1, 1], 2),
        ([1, 1], 2),
    ]
    assert result.second_totals() == [2, 2]
    assert [child.code for child in result.children] == ["C1-K1"]


def test_breakdown_by_age_band_and_join_year_at_the_county(people):
    ages = breakdown(people.county, dimension("age"), today=TODAY)
    assert [(value, n) for value, _label, n in ages.first_totals()] == [
        ("under_18", 1),
        ("18_22", 1),
        ("23_25", 1),
        ("26_27", 1),
    ]
    assert [(c.code, counts) for c, counts, _t in ages.child_rows()] == [
        ("C1-K1-B1", [1, 1, 1, 0]),
        ("C1-K1-B2", [0, 0, 0, 1]),
    ]
    years = breakdown(people.county, dimension("join_year"), dimension("sector"), today=TODAY)
    assert 2022 in [value for value, _label in years.first_values]
    assert years.count(first=2022) == 1
    assert years.count(second=Organization.Sector.ENTERPRISE) == 4


def test_age_band_turns_on_the_birthday(people):
    """Born 2008-06-02: 17 on 2026-06-01, 18 the next day."""
    before = breakdown(people.branch, dimension("age"), today=TODAY)
    after = breakdown(people.branch, dimension("age"), today=date(2026, 6, 2))
    assert before.count(first="under_18") == 1
    assert after.count(first="under_18") == 0
    assert after.count(first="18_22") == 2


def test_kind_counts_by_the_members_branch(people):
    result = breakdown(people.province, dimension("kind"), today=TODAY)
    assert [(value, n) for value, _l, n in result.first_totals()] == [(Organization.Kind.BRANCH, 5)]


def grow(parent, children, start):
    for index in range(start, start + children):
        city = committee(parent, code=f"GC{index}")
        leaf = branch(city, code=f"GC{index}-B")
        MemberFactory(branch=leaf, ethnicity="01" if index % 2 else "03")


def test_breakdown_costs_the_same_for_3_and_30_children():
    root = province(code="P")
    counts = []
    for children, start in ((3, 0), (30, 10)):
        parent = committee(root, code=f"PARENT{children}")
        grow(parent, children, start)
        with CaptureQueriesContext(connection) as queries:
            result = breakdown(parent, dimension("ethnicity"), dimension("gender"))
            rows = result.child_rows()
        assert len(rows) == children
        assert result.total == children
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] == 2


def test_page_costs_the_same_for_3_and_30_children(client):
    from branches.models import Role
    from tests.factories import user_with_role

    root = province(code="P")
    user = user_with_role(root, Role.PROVINCE, username="prov")
    client.force_login(user)
    counts = []
    for children, start in ((3, 0), (30, 10)):
        parent = committee(root, code=f"PARENT{children}")
        grow(parent, children, start)
        url = f"/reports/breakdown/?org={parent.code}&by=ethnicity&then=gender"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_page_shows_the_known_answer(client, people):
    client.force_login(people.city_user)
    response = client.get("/reports/breakdown/?org=C1&by=education&then=gender")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'id="breakdown-total">4<' in html
    assert 'id="cross-table"' in html
    assert "<svg" in html
    assert "/reports/download/breakdown/?org=C1&amp;by=education&amp;then=gender" in html


def test_page_answers_404_outside_the_scope(client, people):
    client.force_login(people.city_user)
    assert client.get("/reports/breakdown/?org=C2").status_code == HTTPStatus.NOT_FOUND


def test_page_opens_on_the_default_attribute(client, people):
    client.force_login(people.city_user)
    html = client.get("/reports/breakdown/?org=C1").content.decode()
    assert 'id="breakdown-error"' not in html
    assert 'id="totals-table"' in html and "按学历" in html


def test_page_falls_back_on_an_unknown_dimension(client, people):
    client.force_login(people.city_user)
    response = client.get("/reports/breakdown/?org=C1&by=shoe_size")
    assert response.status_code == HTTPStatus.OK
    assert 'id="breakdown-error"' in response.content.decode()


def test_spreadsheet_lists_children_then_the_total(client, people):
    client.force_login(people.province_user)
    response = client.get("/reports/download/breakdown/?org=P&by=ethnicity")
    assert response.status_code == HTTPStatus.OK
    rows = read_xlsx(io.BytesIO(b"".join(response.streaming_content)))
    assert rows[1] == [column.name for column in BREAKDOWN.columns]
    data = [row[1:] for row in rows[2:]]
    assert data == [
        ["C1", "甲市团委", "汉族", None, 2],
        ["C1", "甲市团委", "回族", None, 2],
        ["C2", "乙市团委", "汉族", None, 1],
        ["P", "测试省团委（合计）", "汉族", None, 3],
        ["P", "测试省团委（合计）", "回族", None, 2],
    ]


def test_export_report_writes_a_breakdown(people, tmp_path):
    import io as _io

    from django.core.management import call_command

    out = tmp_path / "breakdown.xlsx"
    call_command(
        "export_report",
        "breakdown",
        "--org",
        "C1-K1",
        "--by",
        "gender",
        "--then",
        "ethnicity",
        "--out",
        str(out),
        stdout=_io.StringIO(),
    )
    rows = read_xlsx(out)
    assert rows[0][0] == "甲县团委团员构成（性别、民族）"
    assert rows[-1][1:] == ["C1-K1", "甲县团委（合计）", "女", "回族", 1]

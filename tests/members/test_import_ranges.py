"""An import adds its new development numbers to the ranges holding them (nested ranges
included) without recounting whole ranges, and the stored counts equal a full recount."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.importing import ROSTER_IMPORT
from members.models import Member, NumberRange
from members.tables import roster
from members.tallies import check_steps
from tests.factories import NumberRangeFactory, new_member
from tests.members.conftest import roster_row
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db


def recounted(number_range):
    return Member.objects.filter(
        development_number__gte=number_range.first, development_number__lte=number_range.last
    ).count()


def test_an_import_adds_its_numbers_to_the_nested_ranges_holding_them(tmp_path, small_province):
    sp = small_province
    province_range = NumberRangeFactory(
        organization=sp.province, first=201900000001, last=201900000099
    )
    county_range = NumberRangeFactory(organization=sp.county, first=201900000001, last=201900000009)
    other_range = NumberRangeFactory(organization=sp.city, first=201900000050, last=201900000059)
    new_member(sp.branch, 201900000008, year=2019)  # counted before the import
    rows = [roster_row(sp.branch, serial) for serial in range(1, 6)]  # 201900000001..5
    rows.append(roster_row(sp.branch, 20, **{roster.DEVELOPMENT_NUMBER: "201900000020"}))
    # a number outside every range (no ranges of 2020)
    rows.append(
        roster_row(
            sp.branch,
            21,
            **{roster.DEVELOPMENT_NUMBER: "202000000100", roster.JOIN_DATE: "2020-05-04"},
        )
    )
    path = write_xlsx(tmp_path / "r.xlsx", roster.HEADER, rows, title="新发展团员名册")

    with CaptureQueriesContext(connection) as captured:
        outcome = ROSTER_IMPORT.run(path)
    assert outcome.ok, outcome.errors[:3]

    stored = dict(NumberRange.objects.values_list("pk", "used_count"))
    assert stored == {
        province_range.pk: 7,  # 1..5, 8, 20
        county_range.pk: 6,  # 1..5, 8
        other_range.pk: 0,
    }
    assert stored == {r.pk: recounted(r) for r in NumberRange.objects.all()}
    assert not [line for step in check_steps() for line in step()]
    # no query recounts a range: the members table is never read against the ranges' bounds
    recounts = [
        q["sql"]
        for q in captured.captured_queries
        if "members_numberrange" in q["sql"] and "members_member" in q["sql"]
    ]
    assert not recounts
    range_writes = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('UPDATE "members_numberrange"')
    ]
    assert len(range_writes) == 1

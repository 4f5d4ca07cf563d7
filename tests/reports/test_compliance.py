"""compliance --json: the ledger figures of every child, exact on a scripted province."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members.models import NumberRange
from tests.factories import committee, numbered_province, province

pytestmark = pytest.mark.django_db


LEDGER = (
    "code",
    "name",
    "numbers_total",
    "numbers_used",
    "numbers_explained",
    "numbers_unaccounted",
    "entry_ratio",
)


def compliance(*args):
    out = io.StringIO()
    call_command("compliance", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def ledger_part(rows):
    return [{key: row[key] for key in LEDGER} for row in rows]


def test_compliance_json_gives_the_exact_ledger_figures():
    """Known answers: C1 17 used of 100 with 6 registered; C2 fully accounted; C3 holds none."""
    numbered_province()
    assert ledger_part(compliance()) == [
        {
            "code": "C1",
            "name": "甲市团委",
            "numbers_total": 100,
            "numbers_used": 17,
            "numbers_explained": 6,
            "numbers_unaccounted": 77,
            "entry_ratio": 17 / 94,
        },
        {
            "code": "C2",
            "name": "乙市团委",
            "numbers_total": 50,
            "numbers_used": 30,
            "numbers_explained": 20,
            "numbers_unaccounted": 0,
            "entry_ratio": 1.0,
        },
        {
            "code": "C3",
            "name": "丙市团委",
            "numbers_total": 0,
            "numbers_used": 0,
            "numbers_explained": 0,
            "numbers_unaccounted": 0,
            "entry_ratio": None,
        },
    ]


def test_compliance_for_one_organisation_lists_its_children():
    numbered_province()
    rows = {row["code"]: row for row in compliance("--org", "C1")}
    assert set(rows) == {"K1", "B3"}
    assert rows["K1"]["numbers_total"] == 40
    assert rows["K1"]["numbers_used"] == 15
    assert rows["K1"]["numbers_explained"] == 5
    assert rows["K1"]["numbers_unaccounted"] == 20
    assert rows["K1"]["entry_ratio"] == 15 / 35
    assert rows["B3"]["numbers_total"] == 0 and rows["B3"]["entry_ratio"] is None


def test_compliance_prints_valid_json_with_chinese_names():
    numbered_province()
    out = io.StringIO()
    call_command("compliance", "--json", "--org", "K1", stdout=out)
    assert "甲县第一团支部" in out.getvalue()
    assert [row["code"] for row in json.loads(out.getvalue())] == ["B1", "B2"]


def test_compliance_as_a_user_is_limited_to_their_scope():
    numbered_province()
    assert [row["code"] for row in compliance("--as", "c1")] == ["K1", "B3"]
    with pytest.raises(CommandError):
        compliance("--as", "c1", "--org", "C2")


def test_compliance_unknown_code_fails():
    numbered_province()
    with pytest.raises(CommandError, match="NOPE"):
        compliance("--org", "NOPE")


def test_compliance_without_json_prints_one_line_per_child():
    numbered_province()
    out = io.StringIO()
    call_command("compliance", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("C1\t甲市团委\t") and "numbers_total=100" in lines[0]


def test_ranges_without_members_count_as_unaccounted():
    root = province(code="P")
    city = committee(root, code="C1")
    NumberRange.objects.create(organization=root, first=201900010001, last=201900010100)
    NumberRange.objects.create(organization=city, first=201900010001, last=201900010010)
    (row,) = compliance()
    assert row["numbers_unaccounted"] == 10 and row["entry_ratio"] == 0.0

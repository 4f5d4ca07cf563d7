"""compliance --json gives the exact figures of a scripted province."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from branches.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def compliance(*args):
    out = io.StringIO()
    call_command("compliance", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_root_children_with_exact_figures(scripted_province):
    rows = {row["code"]: row for row in compliance()}
    assert list(rows) == ["C1", "C2", "C3"]
    assert rows["C1"]["name"] == "共青团甲市委员会"
    expected = {
        "C1": (6, 4, 1, 1, 1, 0.5),
        "C2": (1, 0, 1, 0, 1, 0.0),
        "C3": (0, 0, 0, 0, 0, None),
    }
    names = (
        "new_members",
        "entered_on_time",
        "entered_late",
        "class_branches_with_date",
        "class_branches_without_date",
        "graduation_fill_ratio",
    )
    for code, values in expected.items():
        assert tuple(rows[code][n] for n in names) == values


def test_org_option_and_scope(scripted_province):
    assert [row["code"] for row in compliance("--org", "C1")] == ["K1", "S1"]
    user = factories.user_with_role(scripted_province.c2, Role.COMMITTEE, username="c2")
    with pytest.raises(CommandError):
        compliance("--org", "C1", "--as", "c2")
    assert [row["code"] for row in compliance("--as", "c2")] == ["B3", "CB4"]
    assert user


def test_campaign_option_adds_deadline_and_status(scripted_province):
    from datetime import date
    from decimal import Decimal

    from reports.models import Campaign

    Campaign.objects.create(
        slug="grad",
        name="g",
        year=2019,
        deadline=date(2019, 5, 30),
        metric="graduation_fill_ratio",
        threshold=Decimal("0.5"),
    )
    rows = {row["code"]: row for row in compliance("--campaign", "grad")}
    assert rows["C2"]["named"] is True and rows["C2"]["light"] == "red"
    assert rows["C1"]["named"] is False
    assert rows["C1"]["deadline"] == "2019-05-30"

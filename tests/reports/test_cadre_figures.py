"""The cadre figures: organisations with a secretary on record (``secretary_ratio``) and with
complete cadre records (``cadre_complete_ratio``), exact on a known tree, one grouped query
whatever the tree's size, in ``compliance --json`` and rankable by a campaign.

The tree (``small_province``): P > C1 甲市 > C1-K1 甲县 > B1, B2; P > C2 乙市 > C2-K1 > B1 of 乙县.
"""

import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from branches import services
from branches.models import Cadre, Organization
from reports.metrics import children_and_total, figures_for, rankable_choices
from reports.metrics.cadres import CadreFigures
from reports.models import Campaign, Direction
from reports.ranking import ranking
from tests.factories import CadreFactory, branch, committee, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed(small_province):
    """C1's four organisations: C1 complete, C1-K1 secretary without a phone, B1 a deputy only,
    B2 a secretary who left. C2's three: all complete."""
    p = small_province
    CadreFactory(organization=p.city)
    CadreFactory(organization=p.county, phone="")
    CadreFactory(organization=p.branch, position=Cadre.Position.DEPUTY_SECRETARY)
    gone = CadreFactory(organization=p.other_branch)
    services.cadre_end(cadre=gone, ended_on=gone.start_date + timedelta(days=1))
    for org in Organization.objects.subtree_of(p.other_city):
        CadreFactory(organization=org)
    return p


def test_figures_of_one_organisation(staffed):
    figures = figures_for(staffed.city)
    assert figures["cadre_organizations"] == 4
    assert figures["organizations_with_secretary"] == 2
    assert figures["organizations_cadres_complete"] == 1
    assert figures["secretary_ratio"] == 0.5
    assert figures["cadre_complete_ratio"] == 0.25


def test_children_and_total_add_up(staffed):
    rows, total = children_and_total(staffed.province)
    by_code = {org.code: values for org, values in rows}
    assert by_code["C1"]["secretary_ratio"] == 0.5
    assert by_code["C2"]["secretary_ratio"] == 1.0
    assert by_code["C2"]["cadre_complete_ratio"] == 1.0
    # the province itself has no secretary: 5 of 8 organisations, 4 complete
    assert total["cadre_organizations"] == 8
    assert total["organizations_with_secretary"] == 5
    assert total["organizations_cadres_complete"] == 4
    assert total["secretary_ratio"] == round(5 / 8, 4)


def grow(root, children):
    for index in range(children):
        city = committee(root, code=f"G{children}-{index}")
        CadreFactory(organization=city)
        CadreFactory(organization=branch(city, code=f"G{children}-{index}-B"), phone="")


@pytest.mark.parametrize("children", [3, 30])
def test_counts_are_one_query_whatever_the_tree(children, django_assert_num_queries):
    root = province(code="P")
    grow(root, children)
    with django_assert_num_queries(1):
        counted = CadreFigures().counts(root, 2)
    cities = {path: row for path, row in counted.items() if path != root.path}
    assert len(cities) == children
    assert all(row["organizations_with_secretary"] == 2 for row in cities.values())
    assert all(row["organizations_cadres_complete"] == 1 for row in cities.values())


def test_compliance_json_shows_the_figures(staffed):
    out = io.StringIO()
    call_command("compliance", "--json", stdout=out)
    rows = {row["code"]: row for row in json.loads(out.getvalue())}
    assert rows["C1"]["secretary_ratio"] == 0.5
    assert rows["C1"]["cadre_complete_ratio"] == 0.25
    assert rows["C2"]["organizations_with_secretary"] == 3


def test_a_campaign_ranks_on_the_secretary_ratio(staffed):
    """A 2019-style 完善团干部信息 campaign names the cities below its threshold."""
    assert {"secretary_ratio", "cadre_complete_ratio"} <= {n for n, _l in rankable_choices()}
    campaign = Campaign(
        slug="cadres",
        name="完善团干部信息",
        year=2019,
        deadline=date(2019, 6, 30),
        metric="cadre_complete_ratio",
        threshold=Decimal("0.9"),
        direction=Direction.BELOW,
    )
    campaign.full_clean()
    campaign.save()
    entries = ranking(campaign, staffed.province)
    assert [(e.organization.code, e.value, e.named) for e in entries] == [
        ("C1", 0.25, True),
        ("C2", 1.0, False),
    ]

"""Open and closed years: a range's numbers become accountable once their year is over (or as a
campaign says for its own years); until then its unused numbers are available, and ranges of
other years change no figure of a campaign."""

import io
import json
from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from members.models import Member, NumberRange
from members.numbers import ledger
from members.numbers import services as numbering
from reports.dashboard import build_dashboard
from reports.models import Campaign, Direction, SnapshotFigure
from reports.ranking import draft_notice, ranking
from reports.snapshots import snapshot_take
from tests import factories

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def number(year, serial):
    return year * 10**8 + serial


class Scene:
    """A province of two cities with ranges of one year: 甲市 uses 7 of its 10 numbers (70%),
    乙市 3 of its 10 with 2 registered unused (3 / 8 = 37.5%)."""

    def __init__(self, year):
        self.year = year
        self.root = factories.province(code="P", name="测试省团委")
        self.c1 = factories.committee(self.root, code="C1", name="甲市团委")
        self.c2 = factories.committee(self.root, code="C2", name="乙市团委")
        self.b1 = factories.branch(self.c1, code="C1-B1", name="甲市第一团支部")
        self.b2 = factories.branch(self.c2, code="C2-B1", name="乙市第一团支部")
        self.hand_down(year)
        for serial in range(1, 8):
            self.member(self.b1, number(year, serial))
        for serial in range(11, 14):
            self.member(self.b2, number(year, serial))
        numbering.unused_number_register(
            first=number(year, 19), last=number(year, 20), status="voided", explanation="作废"
        )
        self.province_user = factories.user_with_role(self.root, Role.PROVINCE, username="prov")

    def member(self, branch, development_number):
        return factories.MemberFactory(
            branch=branch,
            developing_organization=branch,
            development_number=development_number,
            join_date=date(self.year, 1, 1),
        )

    def hand_down(self, year):
        """The province's range of ``year`` and its cities' ranges inside it, by the service."""
        numbering.number_range_create(
            organization=self.root, first=number(year, 1), last=number(year, 1000)
        )
        numbering.number_range_create(
            organization=self.c1, first=number(year, 1), last=number(year, 10)
        )
        numbering.number_range_create(
            organization=self.c2, first=number(year, 11), last=number(year, 20)
        )

    def campaign(self, year):
        return Campaign.objects.create(
            slug=f"entry-{year}",
            name="新发展团员录入",
            year=year,
            deadline=date(year, 6, 15),
            metric="entry_ratio",
            threshold=Decimal("0.6"),
            direction=Direction.BELOW,
        )


def compliance(*args):
    out = io.StringIO()
    call_command("compliance", "--json", *args, stdout=out)
    return {row["code"]: row for row in json.loads(out.getvalue())}


def campaign_figures(scene, campaign):
    """Everything a campaign shows: compliance, ranking, notice, a snapshot and the dashboard."""
    entries = ranking(campaign, scene.root)
    snapshot = snapshot_take(campaign=campaign)
    frozen = dict(
        SnapshotFigure.objects.filter(snapshot=snapshot).values_list(
            "organization__code", "figures"
        )
    )
    board = build_dashboard(scene.root, campaign_slug=campaign.slug)
    return {
        "compliance": compliance("--campaign", campaign.slug),
        "ranking": [(e.rank, e.organization.code, e.value, e.named) for e in entries],
        "notice": draft_notice(campaign, entries, as_of=date(campaign.year, 5, 22)),
        "snapshot": frozen,
        "dashboard": (
            {row.organization.code: row.figures for row in board.rows},
            board.total,
        ),
    }


@pytest.mark.parametrize(
    ("campaign_year", "later_years"),
    [
        # This year's campaign; next year's range is handed down.
        (THIS_YEAR, [THIS_YEAR + 1]),
        # Last year's campaign; this year's and next year's ranges are handed down.
        (THIS_YEAR - 1, [THIS_YEAR, THIS_YEAR + 1]),
        # The 2019 notice read years later.
        (2019, [THIS_YEAR, THIS_YEAR + 1]),
    ],
)
def test_later_ranges_change_no_figure_of_a_campaign(campaign_year, later_years):
    scene = Scene(campaign_year)
    campaign = scene.campaign(campaign_year)
    before = campaign_figures(scene, campaign)
    assert before["ranking"] == [(1, "C2", 3 / 8, True), (2, "C1", 7 / 10, False)]
    assert before["notice"].startswith("截至5月22日，乙市等1个设区市录入比例低于60%（乙市37.5%）")
    assert before["compliance"]["C1"]["entry_ratio"] == 0.7
    assert before["compliance"]["C2"]["numbers_unaccounted"] == 5
    assert before["compliance"]["C2"]["numbers_available"] == 0

    for year in later_years:
        scene.hand_down(year)
    assert NumberRange.objects.count() == 3 * (1 + len(later_years))

    after = campaign_figures(scene, campaign)
    assert after == before


def test_next_years_range_is_available_not_unaccounted():
    """Without a campaign the figures count the years that are over; an open range's unused
    numbers are available."""
    scene = Scene(THIS_YEAR - 1)
    before = compliance()
    assert before["C1"]["numbers_unaccounted"] == 3
    assert before["C1"]["numbers_available"] == 0
    scene.hand_down(THIS_YEAR)
    scene.member(scene.b1, number(THIS_YEAR, 1))
    scene.hand_down(THIS_YEAR + 1)
    after = compliance()
    for code in ("C1", "C2"):
        for name in ledger.FIGURES:
            if name != "numbers_available":
                assert after[code][name] == before[code][name], (code, name)
    assert after["C1"]["numbers_available"] == 9 + 10
    assert after["C2"]["numbers_available"] == 10 + 10


def test_a_range_becomes_accountable_when_its_year_ends():
    scene = Scene(THIS_YEAR)
    open_year = ledger.ledger_for(scene.c2, today=date(THIS_YEAR, 12, 31))
    assert (open_year["numbers_total"], open_year["numbers_unaccounted"]) == (0, 0)
    assert open_year["numbers_available"] == 5
    assert open_year["entry_ratio"] is None
    closed = ledger.ledger_for(scene.c2, today=date(THIS_YEAR + 1, 1, 1))
    assert closed["numbers_total"] == 10
    assert closed["numbers_unaccounted"] == 5
    assert closed["numbers_available"] == 0
    assert closed["entry_ratio"] == 3 / 8
    assert ledger.unaccounted_spans(scene.c2, today=date(THIS_YEAR, 12, 31)) == []
    assert ledger.unaccounted_spans(scene.c2, today=date(THIS_YEAR + 1, 1, 1)) == [
        (number(THIS_YEAR, 14), number(THIS_YEAR, 18))
    ]


def test_a_campaign_counts_its_own_years_even_before_they_are_over():
    scene = Scene(THIS_YEAR)
    campaign = scene.campaign(THIS_YEAR)
    assert campaign.number_years == (2017, THIS_YEAR)
    rows = compliance("--campaign", campaign.slug)
    assert rows["C2"]["numbers_unaccounted"] == 5
    assert rows["C2"]["entry_ratio"] == 3 / 8
    # Without the campaign this year's numbers are still open.
    assert compliance()["C2"]["numbers_unaccounted"] == 0


def test_a_campaign_can_say_which_years_it_covers():
    scene = Scene(THIS_YEAR - 1)
    scene.hand_down(THIS_YEAR - 2)
    scene.member(scene.b2, number(THIS_YEAR - 2, 11))
    campaign = scene.campaign(THIS_YEAR - 1)
    assert compliance("--campaign", campaign.slug)["C2"]["numbers_total"] == 20
    campaign.numbers_from_year = campaign.numbers_to_year = THIS_YEAR - 2
    campaign.full_clean()
    campaign.save()
    only = compliance("--campaign", campaign.slug)["C2"]
    assert (only["numbers_total"], only["numbers_used"], only["entry_ratio"]) == (10, 1, 0.1)
    campaign.numbers_to_year = THIS_YEAR - 3
    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()
    assert "numbers_from_year" in refused.value.message_dict


def test_ledger_page_shows_available_and_unaccounted_numbers_per_year(client):
    scene = Scene(THIS_YEAR - 1)
    scene.hand_down(THIS_YEAR)
    scene.member(scene.b2, number(THIS_YEAR, 11))
    client.force_login(scene.province_user)
    response = client.get(reverse("members:ledger"), {"org": "C2"})
    assert response.status_code == HTTPStatus.OK
    years = {row.year: row for row in response.context["years"]}
    assert (years[THIS_YEAR].is_open, years[THIS_YEAR].unused) == (True, 9)
    assert (years[THIS_YEAR - 1].is_open, years[THIS_YEAR - 1].unused) == (False, 5)
    figures = response.context["figures"]
    assert (figures["numbers_unaccounted"], figures["numbers_available"]) == (5, 9)
    assert figures["entry_percent"] == "37.5%"
    html = response.content.decode()
    assert "可用" in html and "无下落" in html
    spans = [(first, last) for first, last, _size in response.context["spans"]]
    assert spans == [(number(THIS_YEAR - 1, 14), number(THIS_YEAR - 1, 18))]
    assert Member.objects.count() == 11

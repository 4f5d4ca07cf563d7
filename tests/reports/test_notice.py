"""Ranking a level on a campaign's figure and drafting the notice in the notice's own style."""

from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from branches.models import Role
from reports.models import Campaign, Direction
from reports.ranking import draft_notice, percent, ranking
from tests import factories
from tests.xlsx import read_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        slug="grad",
        name="毕业时间填写",
        year=2019,
        deadline=date(2019, 5, 30),
        metric="graduation_fill_ratio",
        threshold=Decimal("0.5"),
        direction=Direction.BELOW,
    )


def test_ranking_puts_the_worst_first(scripted_province, campaign):
    entries = ranking(campaign, scripted_province.root)
    assert [(e.rank, e.organization.code, e.value, e.named) for e in entries] == [
        (1, "C2", 0.0, True),
        (2, "C1", 0.5, False),
        (3, "C3", None, False),
    ]


def test_notice_text_names_those_below_threshold(scripted_province, campaign):
    text = draft_notice(
        campaign, ranking(campaign, scripted_province.root), as_of=date(2019, 5, 22)
    )
    assert text == (
        "截至5月22日，乙市等1个设区市毕业时间填写比例低于50%（乙市0%），"
        "处于全省最低，希望以上1个设区市把握工作推进节奏，按时完成任务。"
    )


def test_notice_when_nobody_is_below(scripted_province, campaign):
    campaign.threshold = Decimal("0")
    text = draft_notice(campaign, ranking(campaign, scripted_province.root), as_of=date(2020, 1, 2))
    assert text == "截至2020年1月2日，全部设区市毕业时间填写比例均不低于0%。"


def test_percent_formatting():
    assert percent(Decimal("0.6")) == "60%"
    assert percent(0.4125) == "41.2%" or percent(0.4125) == "41.3%"
    assert percent(0.05) == "5%"


def test_notice_page_and_ranking_download(client, scripted_province, campaign):
    user = factories.user_with_role(scripted_province.root, Role.PROVINCE)
    client.force_login(user)
    page = client.get(reverse("reports:notice"), {"campaign": "grad"})
    assert page.status_code == HTTPStatus.OK
    assert "乙市等1个设区市" in page.content.decode()
    download = client.get(
        reverse("reports:download", args=["ranking"]), {"org": "P", "campaign": "grad"}
    )
    assert download.status_code == HTTPStatus.OK
    path = factories.__file__  # any writable dir is fine; write next to the test tmp instead
    data = b"".join(download.streaming_content)
    rows = read_xlsx_bytes(data)
    assert rows[1] == ["排名", "组织代码", "组织名称", "指标值", "阈值", "是否通报"]
    assert rows[2][:3] == [1, "C2", "共青团乙市委员会"]
    assert rows[2][5] == "是"
    assert path


def read_xlsx_bytes(data):
    import io

    return read_xlsx(io.BytesIO(data))


def test_secretary_cannot_open_the_notice(client, scripted_province, campaign):
    client.force_login(factories.user_with_role(scripted_province.b1, Role.SECRETARY))
    assert (
        client.get(reverse("reports:notice"), {"campaign": "grad"}).status_code
        == HTTPStatus.FORBIDDEN
    )


def notice_page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reports:notice"), {"campaign": "grad", **params})


def test_a_city_reading_the_notice_ranks_its_children_not_itself(
    client, scripted_province, campaign
):
    """A campaign that ranks cities, read by a city: its own children are ranked, and the notice
    says they are lowest in the city, not in the province."""
    city_user = factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="c1")
    campaign.threshold = Decimal("1")
    campaign.save()
    page = notice_page(client, city_user)
    assert page.status_code == HTTPStatus.OK
    entries = page.context["entries"]
    assert [(e.organization.code, e.value, e.named) for e in entries] == [
        ("S1", 0.5, True),
        ("K1", None, False),
    ]
    text = page.context["text"]
    assert text.startswith("截至") and text.endswith(
        "，甲市一中等1个下级团组织毕业时间填写比例低于100%（甲市一中50%），"
        "处于甲市最低，希望以上1个下级团组织把握工作推进节奏，按时完成任务。"
    )
    assert "全省" not in text and "甲市等" not in text
    # The province asking about the same city sees the same ranking.
    province_user = factories.user_with_role(scripted_province.root, Role.PROVINCE)
    same = notice_page(client, province_user, org="C1")
    assert [e.organization.code for e in same.context["entries"]] == ["S1", "K1"]


def test_a_notice_with_nothing_below_says_so(client, scripted_province, campaign):
    city_user = factories.user_with_role(scripted_province.c3, Role.COMMITTEE, username="c3")
    page = notice_page(client, city_user)
    assert page.status_code == HTTPStatus.OK
    assert page.context["entries"] == [] and page.context["text"] == ""
    html = page.content.decode()
    assert 'id="nothing-to-rank"' in html and "处于全省最低" not in html


def test_a_notice_outside_the_scope_is_not_found(client, scripted_province, campaign):
    city_user = factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="c1")
    assert notice_page(client, city_user, org="C2").status_code == HTTPStatus.NOT_FOUND
    assert notice_page(client, city_user, org="P").status_code == HTTPStatus.NOT_FOUND

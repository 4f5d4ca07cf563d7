"""The list of members reaching 28 per committee: the date boundary, cadres listed apart,
scope, the bulk confirmation of 超龄离团, and the dashboard's count."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Cadre
from members.models import Member, MemberStatus
from members.models.member import age_limit_date, years_before
from members.status import services as exits
from members.status.views import reaching_lists
from reports.metrics import figures_for
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def turning_28_in(branch, days, **kwargs):
    """A member whose 28th birthday is ``days`` days from today (0: today; negative: past)."""
    born = years_before(TODAY + timedelta(days=days), 28)
    return factories.MemberFactory(
        branch=branch, birth_date=born, join_date=born.replace(year=born.year + 16), **kwargs
    )


@pytest.fixture
def ages(small_province):
    b = small_province.branch
    return {
        "yesterday": turning_28_in(b, -1, name="昨天满28"),
        "today": turning_28_in(b, 0, name="今天满28"),
        "tomorrow": turning_28_in(b, 1, name="明天满28"),
        "day_90": turning_28_in(b, 90, name="九十天后满28"),
        "day_91": turning_28_in(b, 91, name="九十一天后满28"),
    }


def names(queryset):
    return [m.name for m in queryset]


def test_the_lists_at_the_date_boundary(small_province, ages):
    """Turning 28 today counts as past 28; the 90th day is inside the default window, the 91st
    outside it."""
    turning, past = reaching_lists(small_province.county, today=TODAY, days=90)
    assert names(past) == ["昨天满28", "今天满28"]
    assert names(turning) == ["明天满28", "九十天后满28"]
    assert age_limit_date(ages["today"].birth_date) == TODAY
    turning, _past = reaching_lists(small_province.county, today=TODAY, days=91)
    assert names(turning) == ["明天满28", "九十天后满28", "九十一天后满28"]
    turning, _past = reaching_lists(small_province.county, today=TODAY, days=0)
    assert names(turning) == []


def test_members_who_left_are_not_listed(small_province, ages):
    exits.member_exit_propose(
        member=ages["yesterday"],
        status=MemberStatus.DECEASED,
        effective_on=TODAY,
        reason="病故",
        user=small_province.secretary,
    )
    _turning, past = reaching_lists(small_province.county, today=TODAY, days=90)
    assert names(past) == ["今天满28"]


def test_the_page_lists_cadres_apart_and_honours_days(client, small_province, ages):
    p = small_province
    cadre_member = ages["yesterday"]
    factories.CadreFactory(
        organization=p.branch,
        position=Cadre.Position.MEMBER,
        id_number=cadre_member.id_number,
        birth_date=cadre_member.birth_date,
        gender=cadre_member.gender,
    )
    client.force_login(p.county_user)
    response = client.get(reverse("members:reaching_28"), {"org": p.county.code})
    assert response.status_code == HTTPStatus.OK
    assert names(response.context["past"]) == ["今天满28"]
    assert names(response.context["in_post"]) == ["昨天满28"]
    assert names(response.context["turning"]) == ["明天满28", "九十天后满28"]
    response = client.get(reverse("members:reaching_28"), {"org": p.county.code, "days": "1"})
    assert names(response.context["turning"]) == ["明天满28"]
    # the dashboard carries the count: past 28 or within 90 days, cadres left out
    assert figures_for(p.county)["members_reaching_28"] == 3
    board = client.get(reverse("dashboard"), {"org": p.county.code}).content.decode()
    assert 'href="/members/reaching-28/?org=C1-K1" id="reaching-28-link"' in board
    assert "（3）" in board
    assert 'href="/members/reaching-28/"' in client.get(reverse("home")).content.decode()


def test_confirming_many_at_once(client, small_province, ages):
    p = small_province
    client.force_login(p.city_user)
    url = f"{reverse('members:reaching_28')}?org={p.county.code}"
    response = client.post(
        url,
        {
            "members": [ages["yesterday"].pk, ages["today"].pk],
            "effective_on": TODAY.isoformat(),
            "reason": "年满28周岁",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    left = Member.objects.filter(status=MemberStatus.AGED_OUT)
    assert sorted(names(left)) == sorted(["昨天满28", "今天满28"])
    assert {c.decided_by for m in left for c in m.status_changes.all()} == {p.city_user}
    assert figures_for(p.county)["members_reaching_28"] == 2


def test_a_member_not_yet_28_cannot_be_confirmed_through_the_form(client, small_province, ages):
    p = small_province
    client.force_login(p.county_user)
    url = f"{reverse('members:reaching_28')}?org={p.county.code}"
    response = client.post(
        url,
        {"members": [ages["tomorrow"].pk], "effective_on": TODAY.isoformat(), "reason": "x"},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert not Member.objects.filter(status=MemberStatus.AGED_OUT).exists()


def test_the_page_answers_404_outside_scope_and_403_to_a_secretary(client, small_province):
    p = small_province
    client.force_login(p.other_city_user)
    url = reverse("members:reaching_28")
    assert client.get(url, {"org": p.county.code}).status_code == HTTPStatus.NOT_FOUND
    assert client.get(url, {"org": p.other_city.code}).status_code == HTTPStatus.OK
    client.force_login(p.secretary)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_the_page_reads_a_bounded_number_of_queries(
    client, small_province, django_assert_max_num_queries
):
    p = small_province
    for days in range(-30, 60, 3):
        turning_28_in(p.branch, days)
    client.force_login(p.county_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("members:reaching_28"), {"org": p.county.code})

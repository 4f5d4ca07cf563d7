"""The member list and form in natural Chinese, made for the job."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members import services
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"admin:members_member_{name}", args=args)).content.decode()


def test_list_speaks_natural_chinese(client, small_province):
    MemberFactory(branch=small_province.branch)
    text = page(client, small_province.secretary, "changelist")
    assert "团员列表" in text
    assert "添加团员" in text
    assert "按入团年份筛选" in text
    for stock in ("选择 团员 来修改", "增加 团员", "以 入团年份", "团员数"):
        assert stock not in text


def test_forms_speak_natural_chinese(client, small_province):
    member = MemberFactory(branch=small_province.branch)
    assert "添加团员" in page(client, small_province.secretary, "add")
    text = page(client, small_province.secretary, "change", member.pk)
    assert "修改团员" in text
    assert "团员数" not in text


def test_history_page_has_no_english(client, small_province):
    member = MemberFactory(branch=small_province.branch)
    member.phone = "13900139000"
    services.member_update(member=member, user=small_province.secretary)
    text = page(client, small_province.secretary, "history", member.pk)
    assert "改动内容" in text
    assert "Changes" not in text
    assert "None" not in text


def test_entry_status_is_marked_and_entry_shows_a_date(client, small_province):
    late = MemberFactory(
        branch=small_province.branch, birth_date=date(2002, 3, 1), join_date=date(2019, 5, 4)
    )
    late.entered_at = timezone.make_aware(
        timezone.datetime.combine(late.join_date + timedelta(days=90), timezone.datetime.min.time())
    )
    late.save()
    text = page(client, small_province.secretary, "changelist")
    assert '<span class="late">逾期录入</span>' in text
    assert late.entered_at.date().isoformat() in text


def test_filters_sit_in_a_drawer(client, small_province):
    text = page(client, small_province.secretary, "changelist")
    assert 'class="filter-drawer"' in text
    assert 'for="filter-drawer-toggle"' in text


def test_names_link_to_the_detail_page(client, small_province):
    member = MemberFactory(branch=small_province.branch, name="陈小明")
    text = page(client, small_province.secretary, "changelist")
    assert f'<a href="{reverse("members:detail", args=[member.pk])}">陈小明</a>' in text

"""One member's read-only page: record, history with reasons, status changes, moves; 404 outside."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Member, Move
from members.moves import services as moves
from tests.factories import MemberFactory
from tests.members.test_moves import build_scene

pytestmark = pytest.mark.django_db


def detail(client, user, member):
    client.force_login(user)
    return client.get(reverse("members:detail", args=[member.pk]))


def test_secretary_reads_the_record_in_full(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch, name="王小丽")
    response = detail(client, sp.secretary, member)
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "王小丽" in text
    assert member.id_number in text
    assert member.birth_date.isoformat() in text
    assert reverse("admin:members_member_change", args=[member.pk]) in text


def test_a_committee_reads_the_id_number_masked(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch)
    text = detail(client, sp.county_user, member).content.decode()
    assert member.id_number not in text
    assert member.masked_id_number in text
    assert reverse("admin:members_member_change", args=[member.pk]) not in text


def test_outside_the_scope_the_page_is_not_found(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.foreign_branch)
    assert detail(client, sp.secretary, member).status_code == HTTPStatus.NOT_FOUND
    assert detail(client, sp.county_user, member).status_code == HTTPStatus.NOT_FOUND


def test_history_shows_each_change_with_its_reason(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch, phone="13800138000")
    member.phone = "13900139000"
    member._change_reason = "电话号码更正"
    member._history_user = sp.secretary
    services.member_update(member=member, user=sp.secretary)
    response = detail(client, sp.secretary, member)
    versions = response.context["versions"]
    assert versions[0].reason == "电话号码更正"
    assert [(c.field, c.old, c.new) for c in versions[0].changes] == [
        ("联系电话", "13800138000", "13900139000")
    ]
    assert versions[0].who == sp.secretary
    assert "电话号码更正" in response.content.decode()


def test_history_masks_the_id_number_for_readers_who_do_not_edit(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch, name="旧名")
    member.name = "新名"
    services.member_update(member=member, user=sp.secretary)
    text = detail(client, sp.county_user, member).content.decode()
    assert "旧名 → 新名" in text
    assert member.id_number not in text


def test_moves_are_listed(client, small_province):
    scene = build_scene(small_province)
    move = moves.move_create(
        member=scene.member,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate() - timedelta(days=3),
        user=scene.developing_user,
        destination_organization=scene.destination,
    )
    response = detail(client, scene.developing_user, scene.member)
    assert list(response.context["moves"]) == [move]
    assert reverse("moves:detail", args=[move.pk]) in response.content.decode()


def test_the_list_and_the_branch_page_link_to_it(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch)
    client.force_login(sp.secretary)
    target = reverse("members:detail", args=[member.pk])
    assert target in client.get(reverse("admin:members_member_changelist")).content.decode()
    assert target in client.get(reverse("dashboard")).content.decode()


def test_page_query_count_does_not_grow_with_history(
    client, small_province, django_assert_max_num_queries
):
    sp = small_province
    member = MemberFactory(branch=sp.branch)
    for n in range(5):
        member.phone = f"1380013800{n}"
        services.member_update(member=Member.objects.get(pk=member.pk), user=sp.secretary)
    client.force_login(sp.secretary)
    with django_assert_max_num_queries(20):
        client.get(reverse("members:detail", args=[member.pk]))

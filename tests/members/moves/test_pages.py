"""The moves pages: follow-up, inbox, report-in, each side's actions, 404 outside, query counts."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from branches.models import Organization, Role
from members.models import Member, Move
from members.moves import services as moves
from tests import factories

pytestmark = pytest.mark.django_db


def record(scene, member=None, days=3, **destination):
    destination = destination or {"destination_organization": scene.destination}
    return moves.move_create(
        member=member or scene.member,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate() - timedelta(days=days),
        user=scene.developing_user,
        **destination,
    )


def as_user(client, user):
    client.force_login(user)
    return client


# --- the developing side's follow-up list -------------------------------------------------------


def test_follow_up_lists_pending_moves_overdue_first(client, scene, settings):
    settings.YOUTHLEAGUE = {**settings.YOUTHLEAGUE, "MOVE_OVERDUE_DAYS": 30}
    recent = record(scene, days=2)
    old = record(scene, member=factories.MemberFactory(branch=scene.origin), days=60)
    older_but_fine = record(scene, member=factories.MemberFactory(branch=scene.origin), days=29)
    response = as_user(client, scene.developing_user).get(reverse("moves:follow_up"))
    assert response.status_code == HTTPStatus.OK
    listed = list(response.context["page"])
    assert listed == [old, older_but_fine, recent]
    assert response.context["counts"]["pending"] == 3
    assert response.context["counts"]["overdue"] == 1
    body = response.content.decode()
    assert "林小红" in body and scene.destination.name in body
    overdue = as_user(client, scene.developing_user).get(
        reverse("moves:follow_up"), {"show": "overdue"}
    )
    assert list(overdue.context["page"]) == [old]


def test_follow_up_is_the_developing_sides_only(client, scene):
    record(scene)
    receiving = as_user(client, scene.receiving_user).get(reverse("moves:follow_up"))
    assert list(receiving.context["page"]) == []
    outsider = as_user(client, scene.outsider).get(reverse("moves:follow_up"), {"org": "C1"})
    assert outsider.status_code == HTTPStatus.NOT_FOUND
    secretary = as_user(client, scene.secretary).get(reverse("moves:follow_up"))
    assert secretary.status_code == HTTPStatus.FORBIDDEN


def test_follow_up_query_count_does_not_grow_with_moves(
    client, scene, django_assert_max_num_queries
):
    for _ in range(12):
        record(scene, member=factories.MemberFactory(branch=scene.origin))
    c = as_user(client, scene.developing_user)
    with django_assert_max_num_queries(13):  # branches: one query each, with parents
        response = c.get(reverse("moves:follow_up"))
    assert len(response.context["page"]) == 12


def test_developing_side_records_contact_and_closes_from_the_page(client, scene):
    move = record(scene)
    c = as_user(client, scene.developing_user)
    response = c.post(reverse("moves:contact", args=[move.pk]), {"note": "已联系，本周报到"})
    assert response.status_code == HTTPStatus.FOUND
    move.refresh_from_db()
    assert move.state == Move.State.CONTACTED
    assert move.contacted_by == scene.developing_user
    response = c.post(
        reverse("moves:close", args=[move.pk]),
        {"reason": Move.CloseReason.LOST_CONTACT, "next": reverse("moves:follow_up")},
    )
    assert response.url == reverse("moves:follow_up")
    move.refresh_from_db()
    assert move.state == Move.State.CLOSED


@pytest.mark.parametrize("who", ["receiving_user", "outsider", "secretary"])
def test_contact_and_close_answer_404_to_other_sides(client, scene, who):
    move = record(scene)
    c = as_user(client, getattr(scene, who))
    assert c.post(reverse("moves:contact", args=[move.pk]), {"note": "x"}).status_code == 404
    assert c.post(reverse("moves:close", args=[move.pk]), {"reason": "aged_out"}).status_code == 404
    move.refresh_from_db()
    assert move.state == Move.State.MOVED


def test_contact_page_rejects_get(client, scene):
    move = record(scene)
    response = as_user(client, scene.developing_user).get(reverse("moves:contact", args=[move.pk]))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- the receiving side -------------------------------------------------------------------------


def test_inbox_lists_incoming_members_and_confirms(client, scene):
    move = record(scene)
    c = as_user(client, scene.receiving_user)
    response = c.get(reverse("moves:inbox"))
    assert list(response.context["page"]) == [move]
    response = c.post(reverse("moves:confirm", args=[move.pk]), {})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("moves:inbox")
    assert Member.objects.get(pk=scene.member.pk).branch == scene.destination
    after = c.get(reverse("moves:inbox"))
    assert list(after.context["page"]) == []
    assert list(after.context["recent"]) == [Move.objects.get(pk=move.pk)]


@pytest.mark.parametrize("who", ["developing_user", "outsider", "secretary"])
def test_only_the_receiving_side_reaches_the_confirmation(client, scene, who):
    move = record(scene)
    c = as_user(client, getattr(scene, who))
    assert c.get(reverse("moves:confirm", args=[move.pk])).status_code == 404
    assert c.post(reverse("moves:confirm", args=[move.pk]), {}).status_code == 404
    assert Member.objects.get(pk=scene.member.pk).branch == scene.origin


def test_confirm_into_a_committee_chooses_the_branch(client, scene):
    county = Organization.objects.get(code="C2-K1")
    move = record(scene, destination_organization=county)
    c = as_user(client, scene.receiving_user)
    page = c.get(reverse("moves:confirm", args=[move.pk]))
    assert list(page.context["form"].fields["branch"].queryset) == [scene.destination]
    refused = c.post(reverse("moves:confirm", args=[move.pk]), {})
    assert refused.status_code == HTTPStatus.OK
    assert "branch" in refused.context["form"].errors
    done = c.post(reverse("moves:confirm", args=[move.pk]), {"branch": scene.destination.pk})
    assert done.status_code == HTTPStatus.FOUND
    assert Member.objects.get(pk=scene.member.pk).branch == scene.destination


def test_report_outside_the_system_is_recorded_by_the_developing_side(client, scene):
    move = record(
        scene,
        destination_organization=None,
        destination_county_code="350128",
        destination_township="潭城镇",
    )
    assert (
        as_user(client, scene.receiving_user)
        .get(reverse("moves:confirm", args=[move.pk]))
        .status_code
        == 404
    )
    c = as_user(client, scene.developing_user)
    refused = c.post(reverse("moves:confirm", args=[move.pk]), {})
    assert "note" in refused.context["form"].errors
    c.post(reverse("moves:confirm", args=[move.pk]), {"note": "已到潭城镇团委报到"})
    assert Move.objects.get(pk=move.pk).state == Move.State.REPORTED


def test_inbox_query_count_does_not_grow_with_moves(client, scene, django_assert_max_num_queries):
    for _ in range(12):
        record(scene, member=factories.MemberFactory(branch=scene.origin))
    c = as_user(client, scene.receiving_user)
    with django_assert_max_num_queries(13):  # branches: one query each, with parents
        response = c.get(reverse("moves:inbox"))
    assert len(response.context["page"]) == 12


# --- one move -----------------------------------------------------------------------------------


def test_detail_shows_history_to_both_sides_and_404_outside(client, scene):
    move = record(scene)
    moves.move_record_contact(move=move, user=scene.developing_user, note="已联系")
    developing = as_user(client, scene.developing_user).get(reverse("moves:detail", args=[move.pk]))
    assert developing.status_code == HTTPStatus.OK
    assert developing.context["can_follow"] and not developing.context["can_confirm"]
    assert len(developing.context["history"]) == 2
    receiving = as_user(client, scene.receiving_user).get(reverse("moves:detail", args=[move.pk]))
    assert receiving.context["can_confirm"] and not receiving.context["can_follow"]
    outsider = as_user(client, scene.outsider).get(reverse("moves:detail", args=[move.pk]))
    assert outsider.status_code == HTTPStatus.NOT_FOUND
    missing = as_user(client, scene.developing_user).get(reverse("moves:detail", args=[99999]))
    assert missing.status_code == HTTPStatus.NOT_FOUND


def test_record_a_move_by_id_number(client, scene):
    c = as_user(client, scene.developing_user)
    data = {
        "id_number": scene.member.id_number.lower(),
        "reason": Move.Reason.MILITARY,
        "moved_on": timezone.localdate().isoformat(),
        "destination_other_province": "西藏军区某部",
    }
    response = c.post(reverse("moves:new"), data)
    assert response.status_code == HTTPStatus.FOUND
    move = Move.objects.get()
    assert move.destination_kind == Move.DestinationKind.OTHER_PROVINCE
    assert move.created_by == scene.developing_user
    again = c.post(reverse("moves:new"), data)
    assert again.status_code == HTTPStatus.OK
    assert again.context["form"].errors


def test_record_a_move_shows_destination_errors_on_their_fields(client, scene):
    c = as_user(client, scene.developing_user)
    data = {
        "id_number": scene.member.id_number,
        "reason": Move.Reason.EMPLOYMENT,
        "moved_on": timezone.localdate().isoformat(),
        "destination_county_code": "999999",
        "destination_township": "某镇",
    }
    response = c.post(reverse("moves:new"), data)
    assert "destination_county_code" in response.context["form"].errors
    data.update(destination_county_code="", destination_code="NOPE")
    response = c.post(reverse("moves:new"), data)
    assert "destination_code" in response.context["form"].errors
    data.update(destination_code=scene.destination.code, destination_county_code="350128")
    response = c.post(reverse("moves:new"), data)
    assert response.context["form"].non_field_errors()
    assert not Move.objects.exists()


def test_record_a_move_for_a_member_outside_scope_is_refused(client, scene):
    stranger = factories.MemberFactory(branch=scene.destination)
    response = as_user(client, scene.developing_user).post(
        reverse("moves:new"),
        {
            "id_number": stranger.id_number,
            "reason": Move.Reason.EMPLOYMENT,
            "moved_on": timezone.localdate().isoformat(),
            "destination_other_province": "广东省",
        },
    )
    assert "id_number" in response.context["form"].errors
    assert not Move.objects.exists()


# --- admin --------------------------------------------------------------------------------------


def test_admin_lists_moves_in_scope_and_answers_404_outside(client, scene):
    move = record(scene)
    for user, status in (
        (scene.developing_user, HTTPStatus.OK),
        (scene.receiving_user, HTTPStatus.OK),
        (scene.outsider, HTTPStatus.NOT_FOUND),
    ):
        c = as_user(client, user)
        assert c.get(reverse("admin:members_move_change", args=[move.pk])).status_code == status
        listed = c.get(reverse("admin:members_move_changelist"))
        assert (move in listed.context["cl"].result_list) is (status == HTTPStatus.OK)
    history = as_user(client, scene.outsider).get(
        reverse("admin:members_move_history", args=[move.pk])
    )
    assert history.status_code == HTTPStatus.NOT_FOUND


def test_admin_add_goes_to_the_moves_form(client, scene):
    response = as_user(client, scene.developing_user).get(reverse("admin:members_move_add"))
    assert response.url == reverse("moves:new")


def test_home_page_links_committees_to_the_moves_pages(client, scene):
    body = as_user(client, scene.developing_user).get(reverse("home")).content.decode()
    assert reverse("moves:follow_up") in body
    assert admin.site.get_model_admin(Move) is not None
    assert Role.COMMITTEE


def test_admin_import_button_is_the_moves_table(client, scene):
    c = as_user(client, scene.developing_user)
    page = c.get(reverse("admin:members_move_table_import"))
    assert page.status_code == HTTPStatus.OK
    assert "去向县级行政区划代码" in page.content.decode()
    secretary = as_user(client, scene.secretary)
    assert secretary.get(reverse("admin:members_move_table_import")).status_code == 403


def test_follow_up_list_downloads_as_xlsx(client, scene):
    """The follow-up list leaves as .xlsx through the export path, with the page's filter."""
    import io

    import openpyxl

    from reports.models import ExportLog

    record(scene, days=400)
    client = as_user(client, scene.developing_user)
    page = client.get(reverse("moves:follow_up"), {"show": "overdue"}).content.decode()
    org = scene.province.county.code
    url = f"{reverse('reports:download', args=['moves'])}?org={org}&amp;show=overdue"
    assert url in page
    response = client.get(url.replace("&amp;", "&"))
    assert response.status_code == HTTPStatus.OK
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1][:2] == ("序号", "姓名")
    assert [(row[1], row[8]) for row in rows[2:]] == [("林小红", "是")]
    assert ExportLog.objects.filter(kind="moves", user=scene.developing_user).count() == 1
    # The receiving side follows nothing of it: its file of the same subtree is empty or 404.
    client = as_user(client, scene.receiving_user)
    assert client.get(url.replace("&amp;", "&")).status_code == HTTPStatus.NOT_FOUND

"""The transfer pages: refusing, withdrawing, resending, the inbox's batch answer with its
preview, the steps on a move's page, and 404 for every other city's move."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse

from members.models import Member, Move
from members.moves import services as moves
from members.moves import transfers
from tests import factories
from tests.members.test_moves import build_scene
from tests.members.test_moves_pages import as_user, record

pytestmark = pytest.mark.django_db

State = Move.State


@pytest.fixture
def scene(small_province):
    return build_scene(small_province)


def refused(scene, move=None):
    return transfers.move_refuse(
        move=move or record(scene),
        user=scene.receiving_user,
        reason=Move.RefusalReason.NOT_FOUND,
        note="本支部无此人",
    )


def arrivals(scene, count):
    return [
        record(scene, member=factories.MemberFactory(branch=scene.origin, name=f"新到{i}"))
        for i in range(count)
    ]


# --- refusing -----------------------------------------------------------------------------------


def test_receiving_side_refuses_on_its_page(client, scene):
    move = record(scene)
    c = as_user(client, scene.receiving_user)
    page = c.get(reverse("moves:refuse", args=[move.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "查无此人" in page.content.decode()
    done = c.post(
        reverse("moves:refuse", args=[move.pk]), {"reason": "not_ours", "note": "应转往他处"}
    )
    assert done.status_code == HTTPStatus.FOUND
    move.refresh_from_db()
    assert move.state == State.REFUSED and move.refusal_reason == "not_ours"


def test_refusing_for_other_without_a_note_shows_the_error(client, scene):
    move = record(scene)
    answer = as_user(client, scene.receiving_user).post(
        reverse("moves:refuse", args=[move.pk]), {"reason": "other", "note": ""}
    )
    assert answer.status_code == HTTPStatus.OK
    assert "请说明退回原因" in answer.content.decode()
    assert Move.objects.get(pk=move.pk).state == State.MOVED


@pytest.mark.parametrize("who", ["developing_user", "outsider"])
def test_refuse_page_is_404_for_others(client, scene, who):
    move = record(scene)
    c = as_user(client, getattr(scene, who))
    assert c.get(reverse("moves:refuse", args=[move.pk])).status_code == HTTPStatus.NOT_FOUND
    answer = c.post(reverse("moves:refuse", args=[move.pk]), {"reason": "not_found"})
    assert answer.status_code == HTTPStatus.NOT_FOUND
    assert Move.objects.get(pk=move.pk).state == State.MOVED


def test_refuse_page_is_404_once_answered(client, scene):
    move = refused(scene)
    c = as_user(client, scene.receiving_user)
    assert c.get(reverse("moves:refuse", args=[move.pk])).status_code == HTTPStatus.NOT_FOUND


# --- withdrawing --------------------------------------------------------------------------------


def test_sender_withdraws_and_others_get_404(client, scene):
    move = record(scene)
    for user in (scene.receiving_user, scene.outsider):
        answer = as_user(client, user).post(reverse("moves:withdraw", args=[move.pk]))
        assert answer.status_code == HTTPStatus.NOT_FOUND
    c = as_user(client, scene.developing_user)
    assert c.get(reverse("moves:withdraw", args=[move.pk])).status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )
    done = c.post(reverse("moves:withdraw", args=[move.pk]), {"note": "去向有误"})
    assert done.status_code == HTTPStatus.FOUND
    assert Move.objects.get(pk=move.pk).state == State.WITHDRAWN
    # Withdrawing twice says why not.
    again = c.post(reverse("moves:withdraw", args=[move.pk]), follow=True)
    assert "不能撤回" in again.content.decode()


# --- resending ----------------------------------------------------------------------------------


def test_developing_side_resends_a_refused_move_to_a_corrected_destination(client, scene):
    move = refused(scene)
    c = as_user(client, scene.developing_user)
    page = c.get(reverse("moves:resend", args=[move.pk]))
    assert page.status_code == HTTPStatus.OK
    assert page.context["form"].initial["destination_code"] == scene.destination.code
    done = c.post(
        reverse("moves:resend", args=[move.pk]),
        {"destination_code": scene.province.other_branch.code, "note": "改为第二支部"},
    )
    assert done.status_code == HTTPStatus.FOUND
    move.refresh_from_db()
    assert move.state == State.MOVED
    assert move.destination_organization == scene.province.other_branch


def test_resend_with_an_unknown_code_shows_the_error(client, scene):
    move = refused(scene)
    answer = as_user(client, scene.developing_user).post(
        reverse("moves:resend", args=[move.pk]), {"destination_code": "NOPE"}
    )
    assert answer.status_code == HTTPStatus.OK
    assert "destination_code" in answer.context["form"].errors
    assert Move.objects.get(pk=move.pk).state == State.REFUSED


def test_resend_page_is_404_for_others_and_for_a_pending_move(client, scene):
    pending = record(scene)
    c = as_user(client, scene.developing_user)
    assert c.get(reverse("moves:resend", args=[pending.pk])).status_code == HTTPStatus.NOT_FOUND
    move = refused(scene, record(scene, member=factories.MemberFactory(branch=scene.origin)))
    for user in (scene.receiving_user, scene.outsider):
        answer = as_user(client, user).get(reverse("moves:resend", args=[move.pk]))
        assert answer.status_code == HTTPStatus.NOT_FOUND


# --- the move's page ----------------------------------------------------------------------------


def test_move_page_shows_each_step_and_the_actions_of_each_side(client, scene):
    move = record(scene)
    receiving = as_user(client, scene.receiving_user).get(reverse("moves:detail", args=[move.pk]))
    assert receiving.context["can_refuse"] and not receiving.context["can_withdraw"]
    developing = as_user(client, scene.developing_user).get(reverse("moves:detail", args=[move.pk]))
    assert developing.context["can_withdraw"] and not developing.context["can_refuse"]
    refused(scene, move)
    page = as_user(client, scene.developing_user).get(reverse("moves:detail", args=[move.pk]))
    assert page.context["can_resend"]
    body = page.content.decode()
    assert "已发送" in body and "查无此人" in body and "本支部无此人" in body
    assert [h.step for h in page.context["history"]] == [Move.Step.SENT, Move.Step.REFUSED]


def test_follow_up_lists_refused_and_expired_moves(client, scene):
    move = refused(scene)
    page = as_user(client, scene.developing_user).get(
        reverse("moves:follow_up"), {"show": "returned"}
    )
    assert page.context["counts"]["returned"] == 1
    assert list(page.context["page"]) == [move]
    assert reverse("moves:resend", args=[move.pk]) in page.content.decode()


# --- the inbox's batch answer -------------------------------------------------------------------


def test_batch_confirm_previews_then_applies(client, scene):
    chosen = arrivals(scene, 3)
    ids = [m.pk for m in chosen]
    c = as_user(client, scene.receiving_user)
    inbox = c.get(reverse("moves:inbox"))
    assert 'form="batch-form"' in inbox.content.decode()
    preview = c.post(reverse("moves:batch"), {"moves": ids, "action": "confirm"})
    assert preview.status_code == HTTPStatus.OK
    outcome = preview.context["outcome"]
    assert not outcome.applied and len(outcome.rows) == 3
    body = preview.content.decode()
    assert "已流动 → 已报到" in body and scene.destination.name in body
    assert Move.objects.filter(state=State.MOVED).count() == 3
    done = c.post(reverse("moves:batch"), {"moves": ids, "action": "confirm", "apply": "1"})
    assert done.status_code == HTTPStatus.FOUND
    assert Move.objects.filter(state=State.REPORTED).count() == 3
    assert Member.objects.filter(branch=scene.destination).count() == 3


def test_batch_refuse_needs_a_reason_and_then_refuses_all(client, scene):
    ids = [m.pk for m in arrivals(scene, 2)]
    c = as_user(client, scene.receiving_user)
    missing = c.post(reverse("moves:batch"), {"moves": ids, "action": "refuse", "apply": "1"})
    assert missing.status_code == HTTPStatus.OK
    assert "请选择退回原因" in missing.content.decode()
    assert not Move.objects.refused().exists()
    preview = c.post(
        reverse("moves:batch"), {"moves": ids, "action": "refuse", "reason": "wrong_details"}
    )
    assert "信息有误" in preview.content.decode()
    assert not Move.objects.refused().exists()
    c.post(
        reverse("moves:batch"),
        {"moves": ids, "action": "refuse", "reason": "wrong_details", "apply": "1"},
    )
    assert Move.objects.refused().count() == 2


def test_batch_with_a_failing_row_changes_nothing_and_says_which(client, scene):
    chosen = arrivals(scene, 3)
    refused(scene, chosen[2])
    c = as_user(client, scene.receiving_user)
    ids = [m.pk for m in chosen]
    preview = c.post(reverse("moves:batch"), {"moves": ids, "action": "confirm"})
    assert len(preview.context["outcome"].errors) == 1
    assert "disabled" in preview.content.decode()
    forced = c.post(reverse("moves:batch"), {"moves": ids, "action": "confirm", "apply": "1"})
    assert forced.status_code == HTTPStatus.OK
    assert "本批全部未作更改" in forced.content.decode()
    assert Move.objects.filter(state=State.REPORTED).count() == 0
    assert Member.objects.filter(branch=scene.destination).count() == 0


def test_batch_with_another_citys_move_is_404_and_changes_nothing(client, scene):
    mine = arrivals(scene, 1)
    c = as_user(client, scene.outsider)
    answer = c.post(reverse("moves:batch"), {"moves": [mine[0].pk], "action": "confirm"})
    assert answer.status_code == HTTPStatus.NOT_FOUND
    # Mixed with a move of the receiving side's own inbox, still 404.
    c = as_user(client, scene.receiving_user)
    outside = factories.MemberFactory(branch=scene.destination, name="外市")
    theirs = moves.move_create(
        member=outside,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=outside.join_date,
        destination_organization=scene.origin,
        user=scene.receiving_user,
    )
    answer = c.post(
        reverse("moves:batch"),
        {"moves": [mine[0].pk, theirs.pk], "action": "confirm", "apply": "1"},
    )
    assert answer.status_code == HTTPStatus.NOT_FOUND
    assert Move.objects.filter(state=State.REPORTED).count() == 0


def test_batch_without_a_tick_goes_back_with_a_message(client, scene):
    arrivals(scene, 1)
    c = as_user(client, scene.receiving_user)
    answer = c.post(reverse("moves:batch"), {"action": "confirm"}, follow=True)
    assert "请至少勾选一名团员" in answer.content.decode()


def test_batch_is_refused_to_a_secretary(client, scene):
    ids = [m.pk for m in arrivals(scene, 1)]
    answer = as_user(client, scene.secretary).post(
        reverse("moves:batch"), {"moves": ids, "action": "confirm"}
    )
    assert answer.status_code == HTTPStatus.FORBIDDEN


def test_inbox_shows_refused_and_expired_moves_on_the_receiving_side_too(client, scene):
    refused(scene)
    expiring = record(scene, member=factories.MemberFactory(branch=scene.origin, name="超期者"))
    Move.objects.filter(pk=expiring.pk).update(sent_on=expiring.sent_on - timedelta(days=90))
    transfers.moves_expire()
    page = as_user(client, scene.receiving_user).get(reverse("moves:inbox"))
    assert list(page.context["page"]) == []
    assert {m.state for m in page.context["returned"]} == {State.REFUSED, State.EXPIRED}
    body = page.content.decode()
    assert "超期未答复" in body and "查无此人" in body


def test_batch_with_a_malformed_id_goes_back_without_an_error_page(client, scene):
    arrivals(scene, 1)
    c = as_user(client, scene.receiving_user)
    answer = c.post(reverse("moves:batch"), {"moves": ["1x"], "action": "confirm"}, follow=True)
    assert answer.status_code == HTTPStatus.OK
    assert "请至少勾选一名团员" in answer.content.decode()
    assert Move.objects.filter(state=State.MOVED).count() == 1

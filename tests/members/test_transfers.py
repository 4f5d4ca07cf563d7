"""Two-sided transfers: refusing, resending, withdrawing, expiring, answering in batches, and
the steps in a move's history."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from branches.models import Organization
from members.models import Member, Move
from members.moves import services as moves
from members.moves import transfers
from members.moves.transfers import BatchAction
from tests import factories
from tests.members.test_moves import build_scene, days_ago, new_move

pytestmark = pytest.mark.django_db

State = Move.State
Step = Move.Step
Refusal = Move.RefusalReason


@pytest.fixture
def scene(small_province):
    return build_scene(small_province)


def refuse(scene, move, reason=Refusal.NOT_FOUND, note="", user=None):
    return transfers.move_refuse(
        move=move, user=user or scene.receiving_user, reason=reason, note=note
    )


def steps(move):
    return [record.step for record in transfers.move_steps(move)]


# --- refusing -----------------------------------------------------------------------------------


def test_receiving_side_refuses_with_a_reason_and_the_move_returns(scene):
    move = refuse(scene, new_move(scene), note="本支部无此人")
    assert move.state == State.REFUSED
    assert move.refusal_reason == Refusal.NOT_FOUND
    assert move.refused_by == scene.receiving_user
    assert move.is_returned and move.is_open and not move.is_pending
    assert list(Move.objects.refused()) == [move]
    # The member stays where they were.
    assert Member.objects.get(pk=scene.member.pk).branch == scene.origin


def test_refusal_needs_a_listed_reason_and_a_note_for_other(scene):
    move = new_move(scene)
    with pytest.raises(ValidationError):
        refuse(scene, move, reason="")
    with pytest.raises(ValidationError):
        refuse(scene, move, reason="not_a_reason")
    with pytest.raises(ValidationError):
        refuse(scene, move, reason=Refusal.OTHER, note="  ")
    assert Move.objects.get(pk=move.pk).state == State.MOVED
    assert refuse(scene, move, reason=Refusal.OTHER, note="已转往他处").state == State.REFUSED


@pytest.mark.parametrize("who", ["developing_user", "outsider", "secretary"])
def test_only_the_receiving_side_refuses(scene, who):
    move = new_move(scene)
    with pytest.raises(PermissionDenied):
        refuse(scene, move, user=getattr(scene, who))
    assert Move.objects.get(pk=move.pk).state == State.MOVED


def test_a_move_outside_the_system_cannot_be_refused(scene):
    move = new_move(
        scene,
        destination_organization=None,
        destination_county_code="350128",
        destination_township="潭城镇",
    )
    with pytest.raises(ValidationError):
        refuse(scene, move, user=scene.province.province_user)


# --- resending and closing a refused move -------------------------------------------------------


def test_developing_side_corrects_the_destination_and_resends(scene):
    move = refuse(scene, new_move(scene))
    Move.objects.filter(pk=move.pk).update(sent_on=days_ago(20))
    corrected = transfers.move_resend(
        move=move,
        user=scene.developing_user,
        destination_organization=scene.province.other_branch,
    )
    assert corrected.state == State.MOVED
    assert corrected.destination_organization == scene.province.other_branch
    assert corrected.sent_on == timezone.localdate()
    assert corrected.refusal_reason == "" and corrected.refused_at is None
    assert not Move.objects.refused().exists()
    # The resent move is answered anew, by the new destination's side.
    confirmed = moves.move_confirm_report(move=corrected, user=scene.developing_user)
    assert confirmed.state == State.REPORTED
    assert confirmed.days_to_confirm == 0


def test_a_refused_move_can_be_resent_outside_the_system(scene):
    move = refuse(scene, new_move(scene))
    resent = transfers.move_resend(
        move=move,
        user=scene.developing_user,
        destination_county_code="350128",
        destination_township="潭城镇",
    )
    assert resent.destination_kind == Move.DestinationKind.TOWNSHIP
    assert resent.destination_organization is None


@pytest.mark.parametrize("who", ["receiving_user", "outsider", "secretary"])
def test_only_the_developing_side_resends_or_closes(scene, who):
    move = refuse(scene, new_move(scene))
    user = getattr(scene, who)
    with pytest.raises(PermissionDenied):
        transfers.move_resend(move=move, user=user, destination_organization=scene.origin)
    with pytest.raises(PermissionDenied):
        moves.move_close(move=move, user=user, reason=Move.CloseReason.LOST_CONTACT)
    assert Move.objects.get(pk=move.pk).state == State.REFUSED


def test_developing_side_closes_a_refused_move(scene):
    move = refuse(scene, new_move(scene))
    closed = moves.move_close(
        move=move, user=scene.developing_user, reason=Move.CloseReason.LOST_CONTACT
    )
    assert closed.state == State.CLOSED
    assert closed.refusal_reason == ""
    assert not Move.objects.refused().exists()
    # The member is free for a new move.
    assert new_move(scene).state == State.MOVED


def test_a_refused_move_still_blocks_a_second_move(scene):
    refuse(scene, new_move(scene))
    with pytest.raises(ValidationError):
        new_move(scene, destination_organization=scene.province.other_branch)


# --- withdrawing --------------------------------------------------------------------------------


def test_sender_withdraws_before_an_answer(scene):
    move = transfers.move_withdraw(
        move=new_move(scene), user=scene.developing_user, note="录错了去向"
    )
    assert move.state == State.WITHDRAWN
    assert move.withdrawn_by == scene.developing_user
    assert not move.is_open
    assert new_move(scene).state == State.MOVED


@pytest.mark.parametrize("who", ["receiving_user", "outsider", "secretary"])
def test_only_the_sender_withdraws(scene, who):
    move = new_move(scene)
    with pytest.raises(PermissionDenied):
        transfers.move_withdraw(move=move, user=getattr(scene, who))
    assert Move.objects.get(pk=move.pk).state == State.MOVED


# --- invalid transitions ------------------------------------------------------------------------


def _reported(scene):
    return moves.move_confirm_report(move=new_move(scene), user=scene.receiving_user)


def _refused(scene):
    return refuse(scene, new_move(scene))


def _withdrawn(scene):
    return transfers.move_withdraw(move=new_move(scene), user=scene.developing_user)


def _closed(scene):
    return moves.move_close(
        move=new_move(scene), user=scene.developing_user, reason=Move.CloseReason.AGED_OUT
    )


def _pending(scene):
    return new_move(scene)


ATTEMPTS = {
    "confirm": lambda scene, move: moves.move_confirm_report(move=move, user=scene.receiving_user),
    "refuse": lambda scene, move: refuse(scene, move),
    "withdraw": lambda scene, move: transfers.move_withdraw(move=move, user=scene.developing_user),
    "resend": lambda scene, move: transfers.move_resend(
        move=move, user=scene.developing_user, destination_organization=scene.destination
    ),
    "close": lambda scene, move: moves.move_close(
        move=move, user=scene.developing_user, reason=Move.CloseReason.AGED_OUT
    ),
}


@pytest.mark.parametrize(
    ("make", "action"),
    [
        (_reported, "confirm"),
        (_reported, "refuse"),
        (_reported, "withdraw"),
        (_reported, "resend"),
        (_reported, "close"),
        (_refused, "confirm"),
        (_refused, "refuse"),
        (_refused, "withdraw"),
        (_withdrawn, "confirm"),
        (_withdrawn, "refuse"),
        (_withdrawn, "resend"),
        (_withdrawn, "close"),
        (_closed, "refuse"),
        (_closed, "resend"),
        (_closed, "withdraw"),
        (_pending, "resend"),
    ],
)
def test_invalid_transitions_are_refused_with_the_state_named(scene, make, action):
    move = make(scene)
    before = Move.objects.get(pk=move.pk).state
    with pytest.raises(ValidationError) as info:
        ATTEMPTS[action](scene, move)
    # The Chinese message names the state the move is in.
    assert Move.objects.get(pk=move.pk).get_state_display() in info.value.messages[0]
    assert "不能" in info.value.messages[0]
    assert Move.objects.get(pk=move.pk).state == before


def test_database_rejects_a_refusal_without_its_reason(scene):
    move = new_move(scene)
    with pytest.raises(IntegrityError), transaction.atomic():
        Move.objects.filter(pk=move.pk).update(state=State.REFUSED, refused_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Move.objects.filter(pk=move.pk).update(state=State.EXPIRED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Move.objects.filter(pk=move.pk).update(state=State.WITHDRAWN)


# --- expiry -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "expired"), [(89, False), (90, True), (91, True)])
def test_a_move_expires_exactly_after_the_configured_days(scene, days, expired):
    move = new_move(scene)
    sent = timezone.localdate()
    today = sent + timedelta(days=days)
    assert move.sent_on == sent
    assert (move.pk in Move.objects.expiry_due(today).values_list("pk", flat=True)) is expired
    assert transfers.moves_expire(today=today) == int(expired)
    move.refresh_from_db()
    assert move.state == (State.EXPIRED if expired else State.MOVED)
    if expired:
        assert move.expired_at is not None
        assert steps(move)[-1] == Step.EXPIRED


def test_expiry_reads_the_setting(scene, settings):
    settings.YOUTHLEAGUE = {**settings.YOUTHLEAGUE, "MOVE_EXPIRY_DAYS": 10}
    move = new_move(scene)
    Move.objects.filter(pk=move.pk).update(sent_on=days_ago(10))
    assert transfers.moves_expire() == 1


def test_an_expired_move_is_overdue_and_visible_to_both_sides(scene, settings):
    # Overdue otherwise only after a year: expiry alone makes it overdue.
    settings.YOUTHLEAGUE = {**settings.YOUTHLEAGUE, "MOVE_OVERDUE_DAYS": 365}
    move = new_move(scene, moved_on=days_ago(100))
    Move.objects.filter(pk=move.pk).update(sent_on=days_ago(90))
    # Counted as overdue before the expiry run marks it …
    assert list(Move.objects.overdue()) == [Move.objects.get(pk=move.pk)]
    assert Move.objects.get(pk=move.pk).is_overdue()
    out = io.StringIO()
    call_command("expire_moves", stdout=out)
    assert "1条90天未答复的转接已标记为超期" in out.getvalue()
    move.refresh_from_db()
    assert move.state == State.EXPIRED
    # … and after.
    assert list(Move.objects.overdue()) == [move]
    assert move.is_overdue()
    for user in (scene.developing_user, scene.receiving_user):
        assert move in Move.objects.visible_to(user)
    # The developing side resends it: it is no longer overdue.
    resent = transfers.move_resend(
        move=move, user=scene.developing_user, destination_organization=scene.destination
    )
    assert not Move.objects.overdue().exists()
    assert resent.sent_on == timezone.localdate()


def test_moves_outside_the_system_and_answered_ones_do_not_expire(scene):
    outside = new_move(
        scene,
        destination_organization=None,
        destination_other_province="广东省深圳市某公司团支部",
    )
    other = factories.MemberFactory(branch=scene.origin, name="王五")
    answered = refuse(scene, new_move(scene, member=other))
    Move.objects.update(sent_on=days_ago(200))
    assert transfers.moves_expire() == 0
    assert Move.objects.get(pk=outside.pk).state == State.MOVED
    assert Move.objects.get(pk=answered.pk).state == State.REFUSED


def test_the_expiry_task_marks_due_moves(scene):
    from members.tasks import expire_moves

    move = new_move(scene)
    Move.objects.filter(pk=move.pk).update(sent_on=days_ago(90))
    result = expire_moves.enqueue()
    assert result.return_value == 1
    assert Move.objects.get(pk=move.pk).state == State.EXPIRED


def test_the_command_can_hand_the_run_to_the_task_worker(scene):
    move = new_move(scene)
    Move.objects.filter(pk=move.pk).update(sent_on=days_ago(90))
    out = io.StringIO()
    # The test settings run tasks at once, as a worker would.
    call_command("expire_moves", "--enqueue", stdout=out)
    assert "后台任务" in out.getvalue()
    assert Move.objects.get(pk=move.pk).state == State.EXPIRED


# --- history ------------------------------------------------------------------------------------


def test_every_step_is_in_the_history_with_who_and_why(scene):
    move = new_move(scene)
    move = refuse(scene, move, reason=Refusal.NOT_OURS, note="应转往乙县第二支部")
    move = transfers.move_resend(
        move=move, user=scene.developing_user, destination_organization=scene.destination
    )
    Move.objects.filter(pk=move.pk).update(sent_on=days_ago(90))
    transfers.moves_expire()
    move = transfers.move_resend(
        move=Move.objects.get(pk=move.pk),
        user=scene.developing_user,
        destination_organization=scene.destination,
    )
    move = transfers.move_withdraw(move=move, user=scene.developing_user, note="暂缓")
    records = transfers.move_steps(move)
    assert [r.step for r in records] == [
        Step.SENT,
        Step.REFUSED,
        Step.RESENT,
        Step.EXPIRED,
        Step.RESENT,
        Step.WITHDRAWN,
    ]
    assert records[1].history_user == scene.receiving_user
    assert "不属于本组织" in records[1].detail and "应转往乙县第二支部" in records[1].detail
    assert records[5].detail == "暂缓"
    assert records[0].detail == f"转往{scene.destination.name}"


def test_confirm_and_close_are_steps_too(scene):
    move = moves.move_confirm_report(move=new_move(scene), user=scene.receiving_user)
    assert steps(move) == [Step.SENT, Step.CONFIRMED]
    other = factories.MemberFactory(branch=scene.origin, name="赵六")
    closed = moves.move_close(
        move=new_move(scene, member=other),
        user=scene.developing_user,
        reason=Move.CloseReason.AGED_OUT,
    )
    assert steps(closed) == [Step.SENT, Step.CLOSED]


# --- batches ------------------------------------------------------------------------------------


def _arrivals(scene, count):
    made = []
    for index in range(count):
        member = factories.MemberFactory(branch=scene.origin, name=f"到达{index}")
        made.append(new_move(scene, member=member))
    return list(Move.objects.filter(pk__in=[m.pk for m in made]).select_related("member__branch"))


def test_batch_confirm_preview_changes_nothing_then_apply_confirms_all(scene):
    arrivals = _arrivals(scene, 3)
    preview = transfers.moves_answer_batch(
        moves=arrivals, user=scene.receiving_user, action=BatchAction.CONFIRM
    )
    assert not preview.applied and not preview.errors
    assert [row.result.state for row in preview.rows] == [State.REPORTED] * 3
    assert all(row.branch_before == scene.origin for row in preview.rows)
    assert all(row.branch_after == scene.destination for row in preview.rows)
    assert Move.objects.filter(state=State.MOVED).count() == 3
    assert Member.objects.filter(branch=scene.destination).count() == 0
    done = transfers.moves_answer_batch(
        moves=arrivals, user=scene.receiving_user, action=BatchAction.CONFIRM, apply=True
    )
    assert done.applied
    assert Move.objects.filter(state=State.REPORTED).count() == 3
    assert Member.objects.filter(branch=scene.destination).count() == 3


def test_batch_refuse_applies_one_reason_to_all(scene):
    arrivals = _arrivals(scene, 2)
    done = transfers.moves_answer_batch(
        moves=arrivals,
        user=scene.receiving_user,
        action=BatchAction.REFUSE,
        reason=Refusal.WRONG_DETAILS,
        note="身份证号不符",
        apply=True,
    )
    assert done.applied
    assert (
        list(Move.objects.refused().values_list("refusal_reason", flat=True))
        == [Refusal.WRONG_DETAILS] * 2
    )


def test_batch_refuse_without_a_reason_changes_nothing(scene):
    arrivals = _arrivals(scene, 2)
    done = transfers.moves_answer_batch(
        moves=arrivals, user=scene.receiving_user, action=BatchAction.REFUSE, apply=True
    )
    assert not done.applied and len(done.errors) == 2
    assert not Move.objects.refused().exists()


def test_a_failing_row_leaves_the_whole_batch_undone(scene):
    arrivals = _arrivals(scene, 3)
    # The middle one was answered meanwhile.
    refuse(scene, arrivals[1])
    for action in (BatchAction.CONFIRM, BatchAction.REFUSE):
        done = transfers.moves_answer_batch(
            moves=arrivals,
            user=scene.receiving_user,
            action=action,
            reason=Refusal.NOT_FOUND,
            apply=True,
        )
        assert not done.applied
        assert [bool(row.error) for row in done.rows] == [False, True, False]
        assert "已退回" in done.rows[1].error
    assert Move.objects.filter(state=State.MOVED).count() == 2
    assert Member.objects.filter(branch=scene.destination).count() == 0
    assert Move.objects.get(pk=arrivals[0].pk).history.count() == 1


def test_batch_confirm_into_a_committee_names_the_row_that_needs_a_branch(scene):
    arrivals = _arrivals(scene, 1)
    county = Organization.objects.get(code="C2-K1")
    other = factories.MemberFactory(branch=scene.origin, name="委员会")
    to_committee = new_move(scene, member=other, destination_organization=county)
    done = transfers.moves_answer_batch(
        moves=[*arrivals, to_committee],
        user=scene.receiving_user,
        action=BatchAction.CONFIRM,
        apply=True,
    )
    assert not done.applied
    assert done.rows[1].error and not done.rows[0].error
    assert Move.objects.filter(state=State.REPORTED).count() == 0


def test_batch_by_another_side_fails_every_row(scene):
    arrivals = _arrivals(scene, 2)
    done = transfers.moves_answer_batch(
        moves=arrivals, user=scene.outsider, action=BatchAction.CONFIRM, apply=True
    )
    assert not done.applied and len(done.errors) == 2
    assert Move.objects.filter(state=State.MOVED).count() == 2

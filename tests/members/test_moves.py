"""Moves: the record, its states, who may change them, and the member's branch at report-in."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from branches.models import Organization, Role
from members.divisions import validate_county_code
from members.models import Member, Move, county_division_name
from members.moves import services as moves
from tests import factories

pytestmark = pytest.mark.django_db

Reason = Move.Reason
State = Move.State


@dataclass
class MoveScene:
    """A member of B1 (甲市) moving to a branch of 乙市; a third city looks on from outside."""

    province: object
    member: Member
    origin: Organization
    destination: Organization
    developing_user: object
    receiving_user: object
    outsider: object
    secretary: object


def build_scene(small_province):
    p = small_province
    third_city = factories.committee(p.province, code="C3", name="丙市团委")
    return MoveScene(
        province=p,
        member=factories.MemberFactory(branch=p.branch, name="林小红"),
        origin=p.branch,
        destination=p.foreign_branch,
        developing_user=p.county_user,
        receiving_user=p.other_city_user,
        outsider=factories.user_with_role(third_city, Role.COMMITTEE, username="city3"),
        secretary=p.secretary,
    )


@pytest.fixture
def scene(small_province):
    return build_scene(small_province)


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def new_move(scene, user=None, **overrides):
    fields = {
        "member": scene.member,
        "reason": Reason.EMPLOYMENT,
        "moved_on": days_ago(3),
        "destination_organization": scene.destination,
    }
    fields.update(overrides)
    return moves.move_create(user=user or scene.developing_user, **fields)


# --- the record ---------------------------------------------------------------------------------


def test_move_create_records_origin_destination_and_actor(scene):
    move = new_move(scene)
    assert move.state == State.MOVED
    assert move.destination_kind == Move.DestinationKind.ORGANIZATION
    assert move.from_branch == scene.origin
    assert move.created_by == scene.developing_user
    assert move.history.count() == 1
    assert move.destination_display == scene.destination.name


def test_move_create_outside_the_system_with_a_county_code(scene):
    move = new_move(
        scene,
        destination_organization=None,
        destination_county_code="350128",
        destination_township="潭城镇",
    )
    assert move.destination_kind == Move.DestinationKind.TOWNSHIP
    assert "平潭县潭城镇" in move.destination_display


def test_move_create_to_another_province(scene):
    move = new_move(
        scene,
        destination_organization=None,
        destination_other_province="广东省深圳市南山区某科技公司团支部",
    )
    assert move.destination_kind == Move.DestinationKind.OTHER_PROVINCE


@pytest.mark.parametrize(
    "destination",
    [
        {"destination_organization": None},
        {"destination_county_code": "350128", "destination_township": "潭城镇"},
        {"destination_organization": None, "destination_county_code": "350128"},
    ],
    ids=["none", "two-kinds", "county-without-township"],
)
def test_move_create_needs_exactly_one_complete_destination(scene, destination):
    with pytest.raises(ValidationError):
        new_move(scene, **destination)
    assert not Move.objects.exists()


def test_move_cannot_go_to_the_branch_it_leaves_or_before_joining(scene):
    with pytest.raises(ValidationError) as info:
        new_move(scene, destination_organization=scene.origin)
    assert "destination_organization" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        new_move(scene, moved_on=scene.member.join_date - timedelta(days=1))
    assert "moved_on" in info.value.message_dict


def test_only_one_pending_move_per_member(scene):
    new_move(scene)
    with pytest.raises(ValidationError):
        new_move(scene, destination_organization=scene.province.other_branch)
    assert Move.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("350128", True),  # 平潭县
        ("350102", True),  # 福州市鼓楼区
        ("441900", True),  # 东莞市: no counties, townships sit under the city
        ("350100", False),  # 福州市 has districts: not a county-level code
        ("350101", False),  # 市辖区 is a grouping, not a division
        ("350000", False),  # a province
        ("110103", False),  # 崇文区, abolished in 2010
        ("999999", False),
        ("35012", False),
        ("35012a", False),
    ],
)
def test_county_code_validation_against_gbt_2260(code, valid):
    assert bool(county_division_name(code)) is valid
    if valid:
        validate_county_code(code)
    else:
        with pytest.raises(ValidationError):
            validate_county_code(code)


def test_county_division_names_read_today():
    assert county_division_name("350128") == "福建省平潭县"
    assert county_division_name("130502") == "河北省襄都区"  # 桥东区 until 2019


def test_database_rejects_a_destination_that_does_not_match_its_kind(scene):
    move = new_move(scene)
    with pytest.raises(IntegrityError), transaction.atomic():
        Move.objects.filter(pk=move.pk).update(destination_township="潭城镇")
    with pytest.raises(IntegrityError), transaction.atomic():
        Move.objects.filter(pk=move.pk).update(
            destination_kind=Move.DestinationKind.TOWNSHIP,
            destination_organization=None,
            destination_county_code="3501",
            destination_township="潭城镇",
        )


def test_database_rejects_a_state_without_its_stamps(scene):
    move = new_move(scene)
    for changes in (
        {"state": "lost"},
        {"state": State.CONTACTED},
        {"state": State.REPORTED},
        {"state": State.CLOSED},
        {"state": State.CLOSED, "closed_at": timezone.now()},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Move.objects.filter(pk=move.pk).update(**changes)


# --- who may record a move ----------------------------------------------------------------------


def test_move_create_permissions(scene):
    new_move(scene, user=scene.province.city_user).delete()
    for user in (scene.outsider, scene.receiving_user, scene.secretary):
        with pytest.raises(PermissionDenied):
            new_move(scene, user=user)
    assert not Move.objects.exists()


# --- contact and closing: the developing side ---------------------------------------------------


def test_developing_side_records_contact(scene):
    move = new_move(scene)
    move = moves.move_record_contact(
        move=move, user=scene.developing_user, note="已电话联系，下周去报到"
    )
    assert move.state == State.CONTACTED
    assert move.contacted_by == scene.developing_user
    assert move.contacted_at is not None
    assert move.history.first().history_user == scene.developing_user
    again = moves.move_record_contact(move=move, user=scene.province.city_user, note="再次联系")
    assert again.contact_note == "再次联系"
    assert [h.contact_note for h in again.history.order_by("history_id")][-2:] == [
        "已电话联系，下周去报到",
        "再次联系",
    ]


@pytest.mark.parametrize("who", ["receiving_user", "outsider", "secretary"])
def test_only_the_developing_side_records_contact_or_closes(scene, who):
    move = new_move(scene)
    user = getattr(scene, who)
    with pytest.raises(PermissionDenied):
        moves.move_record_contact(move=move, user=user, note="联系")
    with pytest.raises(PermissionDenied):
        moves.move_close(move=move, user=user, reason=Move.CloseReason.LOST_CONTACT)
    move.refresh_from_db()
    assert move.state == State.MOVED


def test_contact_needs_a_note(scene):
    move = new_move(scene)
    with pytest.raises(ValidationError):
        moves.move_record_contact(move=move, user=scene.developing_user, note="  ")


def test_developing_side_closes_with_a_reason(scene):
    move = new_move(scene)
    with pytest.raises(ValidationError):
        moves.move_close(move=move, user=scene.developing_user, reason="")
    with pytest.raises(ValidationError):
        moves.move_close(move=move, user=scene.developing_user, reason=Move.CloseReason.OTHER)
    move = moves.move_close(move=move, user=scene.developing_user, reason=Move.CloseReason.AGED_OUT)
    assert move.state == State.CLOSED
    assert move.closed_by == scene.developing_user
    with pytest.raises(ValidationError):
        moves.move_record_contact(move=move, user=scene.developing_user, note="晚了")
    # A closed move no longer blocks a new one.
    assert new_move(scene).state == State.MOVED


# --- report-in: the receiving side --------------------------------------------------------------


def test_scripted_move_from_moved_to_reported(scene):
    """The member's branch changes at report-in and the history shows both branches."""
    move = new_move(scene)
    moves.move_record_contact(move=move, user=scene.developing_user, note="已联系")
    move = moves.move_confirm_report(move=move, user=scene.receiving_user)
    assert move.state == State.REPORTED
    assert move.received_branch == scene.destination
    assert move.reported_by == scene.receiving_user
    member = Member.objects.get(pk=scene.member.pk)
    assert member.branch == scene.destination
    assert member.developing_organization == scene.origin
    history = list(member.history.order_by("history_date", "history_id"))
    assert [h.branch_id for h in history] == [scene.origin.pk, scene.destination.pk]
    assert history[-1].history_user == scene.receiving_user
    assert scene.destination.name in history[-1].history_change_reason
    states = [h.state for h in move.history.order_by("history_id")]
    assert states == [State.MOVED, State.CONTACTED, State.REPORTED]


@pytest.mark.parametrize("who", ["developing_user", "outsider", "secretary"])
def test_only_the_receiving_side_confirms_a_report_in(scene, who):
    move = new_move(scene)
    with pytest.raises(PermissionDenied):
        moves.move_confirm_report(move=move, user=getattr(scene, who))
    assert Member.objects.get(pk=scene.member.pk).branch == scene.origin
    assert Move.objects.get(pk=move.pk).state == State.MOVED


def test_report_into_a_committee_needs_a_branch_inside_it(scene):
    county = Organization.objects.get(code="C2-K1")
    move = new_move(scene, destination_organization=county)
    with pytest.raises(ValidationError):
        moves.move_confirm_report(move=move, user=scene.receiving_user)
    with pytest.raises(ValidationError):
        moves.move_confirm_report(
            move=move, user=scene.receiving_user, branch=scene.province.other_branch
        )
    choices = moves.report_branch_choices(scene.receiving_user, move)
    assert list(choices) == [scene.destination]
    move = moves.move_confirm_report(move=move, user=scene.receiving_user, branch=scene.destination)
    assert move.received_branch == scene.destination


def test_outside_the_system_the_developing_side_records_the_report(scene):
    move = new_move(
        scene,
        destination_organization=None,
        destination_county_code="350128",
        destination_township="潭城镇",
    )
    with pytest.raises(PermissionDenied):
        moves.move_confirm_report(move=move, user=scene.receiving_user, note="x")
    with pytest.raises(ValidationError):
        moves.move_confirm_report(move=move, user=scene.developing_user)
    move = moves.move_confirm_report(
        move=move, user=scene.developing_user, note="6月10日到潭城镇团委报到"
    )
    assert move.state == State.REPORTED
    assert Member.objects.get(pk=scene.member.pk).branch == scene.origin


def test_a_reported_move_is_final(scene):
    move = moves.move_confirm_report(move=new_move(scene), user=scene.receiving_user)
    with pytest.raises(ValidationError):
        moves.move_confirm_report(move=move, user=scene.receiving_user)
    with pytest.raises(ValidationError):
        moves.move_close(move=move, user=scene.developing_user, reason=Move.CloseReason.AGED_OUT)


# --- overdue ------------------------------------------------------------------------------------


def test_a_pending_move_is_overdue_after_the_configured_days(scene, settings):
    settings.YOUTHLEAGUE = {**settings.YOUTHLEAGUE, "MOVE_OVERDUE_DAYS": 10}
    fresh = new_move(scene, moved_on=days_ago(10))
    assert not fresh.is_overdue()
    assert not Move.objects.overdue().exists()
    Move.objects.filter(pk=fresh.pk).update(moved_on=days_ago(11))
    assert list(Move.objects.overdue()) == [fresh]
    settings.YOUTHLEAGUE = {**settings.YOUTHLEAGUE, "MOVE_OVERDUE_DAYS": 30}
    assert not Move.objects.overdue().exists()


def test_a_reported_or_closed_move_is_never_overdue(scene):
    move = new_move(scene, moved_on=days_ago(400))
    assert move.is_overdue()
    moves.move_close(move=move, user=scene.developing_user, reason=Move.CloseReason.AGED_OUT)
    assert not Move.objects.overdue().exists()


# --- scoped reads -------------------------------------------------------------------------------


def test_scoped_querysets_by_side(scene):
    move = new_move(scene)
    assert list(Move.objects.followed_by(scene.developing_user)) == [move]
    assert list(Move.objects.followed_by(scene.receiving_user)) == []
    assert list(Move.objects.incoming_for(scene.receiving_user)) == [move]
    assert list(Move.objects.incoming_for(scene.developing_user)) == []
    for user in (scene.developing_user, scene.receiving_user, scene.province.province_user):
        assert list(Move.objects.visible_to(user)) == [move]
    assert list(Move.objects.visible_to(scene.outsider)) == []
    assert list(Move.objects.followed_by(scene.secretary)) == []

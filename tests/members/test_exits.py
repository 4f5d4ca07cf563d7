"""Changes of a member's status: each transition, its approval by the committee above, its
refusals, the move it closes, and the figures before and after an exit (known answers)."""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from branches.models import Cadre
from members.models import Member, MemberStatus, Move, StatusChange
from members.models.moves import State
from members.moves import services as moves
from members.status import services as exits
from reports.metrics import figures_for, figures_for_children
from tests import factories
from tests.conftest import at

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def member_aged(branch, years, days=0, **kwargs):
    """A member who turns ``years`` ``days`` days from today (negative: already has)."""
    from members.models.member import years_before

    born = years_before(TODAY + timedelta(days=days), years)
    return factories.MemberFactory(
        branch=branch,
        birth_date=born,
        join_date=date(born.year + 16, 6, 1),
        development_number=None,
        **kwargs,
    )


def propose(member, status, user, **kwargs):
    return exits.member_exit_propose(
        member=member,
        status=status,
        effective_on=kwargs.pop("effective_on", TODAY),
        reason=kwargs.pop("reason", "理由"),
        user=user,
        **kwargs,
    )


def test_voluntary_exit_takes_effect_when_the_branch_records_it(small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    change = propose(member, MemberStatus.WITHDRAWN, p.secretary, reason="本人申请")
    member.refresh_from_db()
    assert member.status == MemberStatus.WITHDRAWN
    assert member.status_since == TODAY
    assert change.state == StatusChange.State.APPROVED
    assert change.decided_by == p.secretary
    assert change.previous_status == MemberStatus.ACTIVE
    assert member.history.first().status == MemberStatus.WITHDRAWN


def test_death_is_recorded_at_once_and_can_be_reversed_by_the_committee(small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    propose(member, MemberStatus.DECEASED, p.secretary)
    with pytest.raises(PermissionDenied):
        exits.member_exit_reverse(member=member, reason="误报", user=p.secretary)
    change = exits.member_exit_reverse(member=member, reason="误报", user=p.county_user)
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    assert change.is_reversal
    assert change.decided_by == p.county_user
    assert [c.status for c in member.status_changes.order_by("id")] == [
        MemberStatus.DECEASED,
        MemberStatus.ACTIVE,
    ]


@pytest.mark.parametrize("status", [MemberStatus.STOPPED, MemberStatus.EXPELLED])
def test_stopping_and_expelling_wait_for_the_committee_above(small_province, status):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    change = propose(member, status, p.secretary)
    member.refresh_from_db()
    assert change.state == StatusChange.State.PROPOSED
    assert member.status == MemberStatus.ACTIVE
    with pytest.raises(PermissionDenied):
        exits.member_exit_approve(change=change, user=p.secretary)
    with pytest.raises(PermissionDenied):
        exits.member_exit_approve(change=change, user=p.other_city_user)
    approved = exits.member_exit_approve(change=change, user=p.county_user, note="同意")
    member.refresh_from_db()
    assert member.status == status
    assert approved.decided_by == p.county_user
    assert approved.decision_note == "同意"
    with pytest.raises(ValidationError):
        exits.member_exit_approve(change=change, user=p.city_user)


def test_a_refused_proposal_leaves_the_member_in_the_league(small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    change = propose(member, MemberStatus.EXPELLED, p.secretary)
    with pytest.raises(ValidationError):
        exits.member_exit_refuse(change=change, user=p.county_user, note="")
    refused = exits.member_exit_refuse(change=change, user=p.county_user, note="证据不足")
    member.refresh_from_db()
    assert refused.state == StatusChange.State.REFUSED
    assert member.status == MemberStatus.ACTIVE
    # a new proposal may follow a refused one
    assert propose(member, MemberStatus.STOPPED, p.secretary).state == "proposed"


def test_a_second_proposal_waits_for_the_first(small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    propose(member, MemberStatus.STOPPED, p.secretary)
    with pytest.raises(ValidationError):
        propose(member, MemberStatus.WITHDRAWN, p.secretary)


def test_a_member_who_left_cannot_leave_again(small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    propose(member, MemberStatus.WITHDRAWN, p.secretary)
    with pytest.raises(ValidationError):
        propose(member, MemberStatus.DECEASED, p.secretary)


def test_a_committee_outside_scope_cannot_propose(small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    with pytest.raises(PermissionDenied):
        propose(member, MemberStatus.WITHDRAWN, p.other_city_user)


def test_aged_out_is_refused_before_28_and_confirmed_after(small_province):
    p = small_province
    young = member_aged(p.branch, 28, days=1)
    with pytest.raises(ValidationError):
        propose(young, MemberStatus.AGED_OUT, p.county_user)
    old = member_aged(p.branch, 28, days=0)
    change = propose(old, MemberStatus.AGED_OUT, p.county_user)
    assert change.state == StatusChange.State.APPROVED
    assert Member.objects.get(pk=old.pk).status == MemberStatus.AGED_OUT


def test_aged_out_is_refused_for_a_cadre_in_post(small_province):
    p = small_province
    member = member_aged(p.branch, 28, days=-10)
    cadre = factories.CadreFactory(
        organization=p.branch,
        position=Cadre.Position.MEMBER,
        id_number=member.id_number,
        birth_date=member.birth_date,
        gender=member.gender,
    )
    with pytest.raises(ValidationError):
        propose(member, MemberStatus.AGED_OUT, p.county_user)
    cadre.ended_on = TODAY
    cadre.save()
    assert propose(member, MemberStatus.AGED_OUT, p.county_user).state == "approved"


def test_retained_membership_under_28_counts_in_the_league_and_returns(small_province):
    p = small_province
    member = member_aged(p.branch, 28, days=100)
    propose(member, MemberStatus.RETAINED, p.secretary, reason="预备党员")
    member.refresh_from_db()
    assert member.status == MemberStatus.RETAINED
    assert Member.objects.in_league().filter(pk=member.pk).exists()
    exits.member_exit_reverse(member=member, reason="转为正式党员前恢复", user=p.county_user)
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE
    old = member_aged(p.branch, 28, days=-1)
    with pytest.raises(ValidationError):
        propose(old, MemberStatus.RETAINED, p.secretary)


def test_a_future_date_is_refused(small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    with pytest.raises(ValidationError):
        propose(member, MemberStatus.WITHDRAWN, p.secretary, effective_on=TODAY + timedelta(1))


def test_an_open_move_closes_when_the_member_leaves(small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    move = moves.move_create(
        member=member,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=TODAY - timedelta(days=40),
        destination_organization=p.foreign_branch,
        user=p.county_user,
    )
    assert figures_for(p.county)["moved_pending"] == 1
    propose(member, MemberStatus.WITHDRAWN, p.secretary)
    move.refresh_from_db()
    assert move.state == State.CLOSED
    assert move.close_reason == Move.CloseReason.LEFT_LEAGUE
    assert figures_for(p.county)["moved_pending"] == 0


def test_a_member_developed_in_2019_who_left_in_2024_still_counts_as_entered_in_2019(
    small_province,
):
    """Known answers: two members developed by the branch in 2019, entered on time; one left
    in 2024. The entry figures stay 2 and 2; the live count falls from 2 to 1."""
    p = small_province
    members = [
        factories.MemberFactory(
            branch=p.branch,
            birth_date=date(2003, 3, serial),
            join_date=date(2019, 5, serial),
            development_number=201900000100 + serial,
            entered_at=at(date(2019, 5, 20)),
        )
        for serial in (1, 2)
    ]
    # a third, who joined before 2017 (not a new member), elsewhere in the county
    factories.MemberFactory(
        branch=p.other_branch, birth_date=date(1999, 1, 1), join_date=date(2014, 1, 1)
    )

    def county_figures():
        return {
            name: figures_for(p.county)[name]
            for name in ("new_members", "entered_on_time", "entered_late", "members_in_league")
        }

    assert county_figures() == {
        "new_members": 2,
        "entered_on_time": 2,
        "entered_late": 0,
        "members_in_league": 3,
    }
    propose(members[0], MemberStatus.WITHDRAWN, p.secretary, effective_on=date(2024, 9, 1))
    assert county_figures() == {
        "new_members": 2,
        "entered_on_time": 2,
        "entered_late": 0,
        "members_in_league": 2,
    }
    by_code = {child.code: values for child, values in figures_for_children(p.province)}
    assert by_code["C1"]["members_in_league"] == 2
    assert by_code["C1"]["new_members"] == 2


def test_the_live_count_returns_after_a_reversal(small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    assert figures_for(p.branch)["members_in_league"] == 1
    propose(member, MemberStatus.EXPELLED, p.secretary)
    assert figures_for(p.branch)["members_in_league"] == 1  # not yet approved
    exits.member_exit_approve(change=member.status_changes.get(), user=p.city_user)
    assert figures_for(p.branch)["members_in_league"] == 0
    exits.member_exit_reverse(member=member, reason="申诉成立", user=p.city_user)
    assert figures_for(p.branch)["members_in_league"] == 1


# --- pages --------------------------------------------------------------------------------------


def test_the_branch_records_an_exit_on_the_member_page(client, small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch, name="王小明")
    client.force_login(p.secretary)
    url = reverse("members:status", args=[member.pk])
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(
        url,
        {
            "propose-status": MemberStatus.EXPELLED,
            "propose-effective_on": TODAY.isoformat(),
            "propose-reason": "严重违纪",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    change = member.status_changes.get()
    assert change.state == StatusChange.State.PROPOSED
    # the secretary sees no approval list; the committee above approves on its own
    assert client.get(reverse("members:status_changes")).status_code == HTTPStatus.FORBIDDEN
    client.force_login(p.county_user)
    page = client.get(reverse("members:status_changes"))
    assert "王小明" in page.content.decode()
    response = client.post(
        f"{reverse('members:status_changes')}?org={p.county.code}",
        {"change": change.pk, "decision": "approve", "note": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Member.objects.get(pk=member.pk).status == MemberStatus.EXPELLED
    branch_page = client.get(f"{reverse('dashboard')}?org={p.branch.code}").content.decode()
    assert "left-members" in branch_page


def test_status_pages_answer_404_outside_scope(client, small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    change = propose(member, MemberStatus.STOPPED, p.secretary)
    client.force_login(p.other_city_user)
    assert (
        client.get(reverse("members:status", args=[member.pk])).status_code == HTTPStatus.NOT_FOUND
    )
    url = f"{reverse('members:status_changes')}?org={p.county.code}"
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    # its own list does not hold the proposal, and posting it there finds nothing
    response = client.post(
        reverse("members:status_changes"), {"change": change.pk, "decision": "approve"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE


def test_a_graduating_class_counts_only_members_in_the_league(small_province):
    p = small_province
    school = factories.committee(p.county, kind="grassroots", code="C1-K1-S", name="甲中学团委")
    cls = factories.class_branch(school, code="C1-K1-S-1", graduation_date=TODAY + timedelta(10))
    stays, leaves = factories.MemberFactory(branch=cls), factories.MemberFactory(branch=cls)
    propose(leaves, MemberStatus.WITHDRAWN, p.county_user)
    (upcoming, _graduated) = moves.graduating_classes(organization=p.county)
    assert [(c.pk, c.member_count) for c in upcoming] == [(cls.pk, 1)]
    shown = moves.class_members_with_moves(user=p.county_user, branch=cls)
    assert [m.pk for m in shown] == [stays.pk]


def test_a_member_who_left_cannot_be_recorded_as_moved(small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    propose(member, MemberStatus.WITHDRAWN, p.secretary)
    with pytest.raises(ValidationError):
        moves.move_create(
            member=Member.objects.get(pk=member.pk),
            reason=Move.Reason.EMPLOYMENT,
            moved_on=TODAY,
            destination_organization=p.foreign_branch,
            user=p.county_user,
        )


def test_table_1_1_keeps_a_member_who_left_with_its_columns_unchanged(small_province):
    from members.tables import roster

    p = small_province
    member = factories.MemberFactory(
        branch=p.branch,
        birth_date=date(2003, 3, 1),
        join_date=date(2019, 5, 1),
        development_number=201900000201,
    )
    header = list(roster.HEADER)
    propose(member, MemberStatus.EXPELLED, p.secretary)
    exits.member_exit_approve(change=member.status_changes.get(), user=p.county_user)
    assert list(roster.roster_queryset(p.county)) == [member]
    assert list(roster.HEADER) == header
    assert "团籍状态" not in header


def test_the_school_league_count_drops_a_student_who_left(small_province):
    from reports.schools.lines import league_counts

    p = small_province
    school = factories.committee(
        p.county, kind="grassroots", code="C1-K1-S", name="甲中学团委", school_code="3135000001"
    )
    cls = factories.class_branch(school, code="C1-K1-S-1")
    students = [factories.MemberFactory(branch=cls, identity="student") for _ in range(3)]
    assert league_counts(p.county, {school.depth}) == {school.path: 3}
    propose(students[0], MemberStatus.WITHDRAWN, p.county_user)
    assert league_counts(p.county, {school.depth}) == {school.path: 2}


def test_the_committee_restores_membership_on_the_member_page(client, small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    propose(member, MemberStatus.WITHDRAWN, p.secretary)
    url = reverse("members:status", args=[member.pk])
    client.force_login(p.secretary)
    assert 'id="reverse"' not in client.get(url).content.decode()
    client.post(url, {"reverse-reason": "撤回申请"})
    assert Member.objects.get(pk=member.pk).status == MemberStatus.WITHDRAWN
    client.force_login(p.county_user)
    assert 'id="reverse"' in client.get(url).content.decode()
    response = client.post(url, {"reverse-reason": "撤回申请"})
    assert response.status_code == HTTPStatus.FOUND
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE


def test_the_committee_refuses_on_its_list_only_with_a_note(client, small_province):
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    change = propose(member, MemberStatus.STOPPED, p.secretary)
    client.force_login(p.county_user)
    url = reverse("members:status_changes")
    client.post(url, {"change": change.pk, "decision": "refuse", "note": ""})
    assert StatusChange.objects.get(pk=change.pk).state == StatusChange.State.PROPOSED
    client.post(url, {"change": change.pk, "decision": "refuse", "note": "情节轻微"})
    assert StatusChange.objects.get(pk=change.pk).state == StatusChange.State.REFUSED
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE


def test_a_branch_whose_members_all_left_can_close(small_province):
    """Members who left the League keep their branch in history and do not hold it open."""
    from branches.services import organization_close

    p = small_province
    member = factories.MemberFactory(branch=p.other_branch)
    propose(member, MemberStatus.WITHDRAWN, p.county_user, reason="本人申请")
    organization_close(organization=p.other_branch, on=TODAY, user=p.county_user)
    p.other_branch.refresh_from_db()
    member.refresh_from_db()
    assert p.other_branch.status == p.other_branch.Status.CLOSED
    assert member.branch == p.other_branch

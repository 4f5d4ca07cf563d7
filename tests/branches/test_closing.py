"""Organisations that close (撤销) or merge: refused while anything still needs them, kept with
their history afterwards, out of pickers and live figures."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from branches import access
from branches.models import Cadre, Organization, Role
from branches.services import organization_close, organization_merge
from members.models import Member, Move, NumberRange, OrganizationTally
from tests import factories

pytestmark = pytest.mark.django_db

ON = date(2024, 7, 10)


@pytest.fixture
def school(db):
    root = factories.province(code="P")
    city = factories.committee(root, code="C1")
    school = factories.committee(
        city, kind=Organization.Kind.GRASSROOTS, code="S1", sector=Organization.Sector.SCHOOL
    )
    return school


def _class(school, code, **kwargs):
    return factories.class_branch(school, code=code, graduation_date=date(2024, 6, 30), **kwargs)


def test_closing_refused_while_members_remain_names_them(school):
    """A class branch still holding members cannot close; the message names them."""
    branch = _class(school, "CB1", name="2024届1班团支部")
    factories.MemberFactory(branch=branch, name="张三")
    with pytest.raises(ValidationError) as caught:
        organization_close(organization=branch, on=ON, reason="毕业")
    text = "；".join(caught.value.messages)
    assert "2024届1班团支部" in text
    assert "张三" in text
    branch.refresh_from_db()
    assert branch.status == Organization.Status.OPEN
    assert branch.closed_on is None


def test_closing_refused_while_a_range_is_held(school):
    """A number range not handed back keeps the organisation open, and is named."""
    branch = _class(school, "CB1")
    factories.NumberRangeFactory(organization=branch, first=202400010001, last=202400010010)
    with pytest.raises(ValidationError) as caught:
        organization_close(organization=branch, on=ON)
    assert "202400010001" in "".join(caught.value.messages)


def test_closing_refused_while_open_organisations_below(school):
    """A committee closes only after every organisation below it has closed."""
    _class(school, "CB1", name="1班")
    with pytest.raises(ValidationError) as caught:
        organization_close(organization=school, on=ON)
    assert "1班" in "".join(caught.value.messages)


def test_closing_an_empty_branch_keeps_its_record_and_history(school):
    """Closing sets status, date and reason; the members it developed stay with it, and their
    entry figures stay in the committee's total; its cadres' posts end."""
    branch = _class(school, "CB1")
    other = factories.branch(school, code="B9")
    member = factories.MemberFactory(
        branch=other, developing_organization=branch, join_date=date(2021, 3, 1)
    )
    cadre = factories.CadreFactory(organization=branch, start_date=date(2021, 9, 1))
    organization_close(organization=branch, on=ON, reason="班级毕业")
    branch.refresh_from_db()
    assert branch.status == Organization.Status.CLOSED
    assert (branch.closed_on, branch.closing_reason) == (ON, "班级毕业")
    assert Organization.objects.filter(pk=branch.pk).exists()
    assert branch.history.count() >= 2
    member.refresh_from_db()
    assert member.developing_organization == branch
    assert OrganizationTally.objects.get(organization=branch).new_members == 1
    cadre.refresh_from_db()
    assert cadre.ended_on == ON
    with pytest.raises(ValidationError):
        organization_close(organization=branch, on=ON)


def test_closing_outside_the_scope_is_refused(school):
    """A committee cannot close an organisation of another subtree."""
    other_city = factories.committee(Organization.objects.get(code="P"), code="C2")
    user = factories.user_with_role(other_city, Role.COMMITTEE)
    branch = _class(school, "CB1")
    with pytest.raises(ValidationError):
        organization_close(organization=branch, on=ON, user=user)
    branch.refresh_from_db()
    assert branch.is_open


def test_merge_moves_members_ranges_cadres_and_keeps_history(school):
    """Merging moves members (branch and developing organisation), ranges, pending incoming
    moves and cadres to the survivor; members keep their numbers and join dates, each move is in
    their history, the merged organisation stays with its own history, and tallies follow."""
    source = factories.branch(school, code="B1", name="旧支部")
    target = factories.branch(school, code="B2", name="新支部")
    factories.NumberRangeFactory(organization=school, first=202100010001, last=202100019999)
    number_range = factories.NumberRangeFactory(
        organization=source, first=202100010001, last=202100010100
    )
    member = factories.new_member(source, 202100010005)
    other = factories.MemberFactory(branch=target)
    factories.CadreFactory(organization=source, position=Cadre.Position.SECRETARY, name="甲")
    factories.CadreFactory(
        organization=source,
        position=Cadre.Position.ORGANIZATION,
        name="乙",
        id_number="",
    )
    factories.CadreFactory(organization=target, position=Cadre.Position.SECRETARY, name="丙")
    incoming = Move.objects.create(
        member=other,
        from_branch=target,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=date(2024, 7, 1),
        destination_kind=Move.DestinationKind.ORGANIZATION,
        destination_organization=source,
    )
    versions_before = member.history.count()
    target_tally = OrganizationTally.objects.get(organization=target).new_members

    organization_merge(organization=source, into=target, on=ON, reason="合并")

    source.refresh_from_db()
    assert source.status == Organization.Status.MERGED
    assert source.merged_into == target
    assert source.closed_on == ON
    member.refresh_from_db()
    assert (member.branch, member.developing_organization) == (target, target)
    assert member.development_number == 202100010005
    assert member.history.count() == versions_before + 1
    assert member.history.earliest().branch_id == source.pk
    number_range.refresh_from_db()
    assert number_range.organization == target
    assert set(Cadre.objects.filter(organization=target).values_list("name", flat=True)) == {
        "甲",
        "乙",
        "丙",
    }
    # The survivor keeps its own secretary: the merged one's post ended.
    assert Cadre.objects.active().secretaries().get(organization=target).name == "丙"
    incoming.refresh_from_db()
    assert incoming.destination_organization == target
    assert OrganizationTally.objects.get(organization=target).new_members == target_tally + 1
    assert OrganizationTally.objects.get(organization=source).new_members == 0
    assert not Member.objects.filter(branch=source).exists()
    assert not NumberRange.objects.filter(organization=source).exists()


def test_merge_refuses_a_closed_or_lower_target(school):
    """A merge needs an open survivor at the same level, outside the merged subtree."""
    source = factories.branch(school, code="B1")
    closed = factories.branch(school, code="B2")
    organization_close(organization=closed, on=ON)
    with pytest.raises(ValidationError):
        organization_merge(organization=source, into=closed, on=ON)
    with pytest.raises(ValidationError):
        organization_merge(organization=school, into=source, on=ON)


def test_closed_organisations_leave_the_pickers_but_stay_visible(school):
    """Pickers offer only open organisations; the visible list (history, admin) keeps them."""
    branch = _class(school, "CB1")
    organization_close(organization=branch, on=ON)
    user = factories.user_with_role(school, Role.COMMITTEE)
    assert branch in access.visible_organizations(user)
    assert branch not in access.pickable_organizations(user)
    assert branch not in access.manageable_organizations(user)
    assert school in access.pickable_organizations(user)


def test_demo_holds_a_closed_class_branch():
    """The demo's graduated class branch of 2014 is closed, empty, and out of the pickers."""
    from branches.demo import CLOSED_CLASS, build_closed_class, build_tree

    build_tree()
    build_closed_class()
    branch = Organization.objects.get(code=CLOSED_CLASS[1])
    assert branch.status == Organization.Status.CLOSED
    assert branch.closed_on > branch.graduation_date
    assert not Member.objects.filter(branch=branch).exists()
    assert branch not in Organization.objects.current()


def test_admin_lists_closed_organisations_under_their_filter_but_not_in_lookups(client, school):
    """The admin's 已撤销 filter lists closed organisations; the look-up that forms use to pick
    an organisation (autocomplete) does not offer them."""
    from http import HTTPStatus

    from django.urls import reverse

    closed = _class(school, "CB1", name="已毕业班")
    _class(school, "CB2", name="在读班")
    organization_close(organization=closed, on=ON)
    client.force_login(factories.user_with_role(school, Role.COMMITTEE))
    listing = client.get(reverse("admin:branches_organization_changelist"), {"status": "closed"})
    assert listing.status_code == HTTPStatus.OK
    assert [o.code for o in listing.context["cl"].result_list] == ["CB1"]
    lookup = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "branches",
            "model_name": "cadre",
            "field_name": "organization",
            "term": "班",
        },
    )
    assert lookup.status_code == HTTPStatus.OK
    names = [row["text"].split(" · ")[0] for row in lookup.json()["results"]]
    assert "在读班" in names and "已毕业班" not in names


def test_a_closed_organisation_takes_no_new_members_or_organisations(school):
    """Nothing new goes into a closed organisation: no member, no organisation below it."""
    from branches.services import organization_save

    branch = _class(school, "CB1")
    organization_close(organization=branch, on=ON)
    member = factories.MemberFactory.build(branch=branch)
    with pytest.raises(ValidationError) as caught:
        member.full_clean()
    assert "branch" in caught.value.message_dict
    closed_committee = factories.committee(school, kind=Organization.Kind.GENERAL_BRANCH)
    organization_close(organization=closed_committee, on=ON)
    with pytest.raises(ValidationError):
        organization_save(
            organization=Organization(
                code="NEW", name="新支部", kind=Organization.Kind.BRANCH, sector="school"
            ),
            parent=closed_committee,
        )


def test_close_org_command_closes_merges_and_names_what_remains(school):
    """close_org closes an empty organisation, merges with --into, and exits with the
    reasons when members remain."""
    import io

    from django.core.management import CommandError, call_command

    empty = _class(school, "CB1")
    full = factories.branch(school, code="B1")
    survivor = factories.branch(school, code="B2")
    factories.MemberFactory(branch=full, name="王五")
    with pytest.raises(CommandError, match="王五"):
        call_command("close_org", "B1", stdout=io.StringIO())
    call_command(
        "close_org", "CB1", "--date", "2024-07-10", "--reason", "毕业", stdout=io.StringIO()
    )
    empty.refresh_from_db()
    assert (empty.status, empty.closed_on) == (Organization.Status.CLOSED, ON)
    call_command("close_org", "B1", "--into", "B2", stdout=io.StringIO())
    full.refresh_from_db()
    assert full.merged_into == survivor
    assert Member.objects.get(name="王五").branch == survivor


def test_admin_action_closes_empty_organisations_and_names_what_keeps_the_others(client, school):
    """The admin's action closes the selected empty organisations and reports, by name, what
    keeps the others open; another city's organisation is not even listed."""
    from django.urls import reverse

    empty = _class(school, "CB1")
    full = _class(school, "CB2")
    factories.MemberFactory(branch=full, name="赵六")
    client.force_login(factories.user_with_role(school, Role.COMMITTEE))
    response = client.post(
        reverse("admin:branches_organization_changelist"),
        {"action": "close_today", "_selected_action": [empty.pk, full.pk]},
        follow=True,
    )
    empty.refresh_from_db()
    full.refresh_from_db()
    assert not empty.is_open
    assert full.is_open
    assert "赵六" in response.content.decode()

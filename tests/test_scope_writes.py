"""No write crosses a scope: each forbidden write, posted as the offending role, answers 404 or a
form error and changes nothing in the database; the allowed one (the receiving side, the
holder, the province) works.

The tree (``small_province``): P > C1 甲市 > C1-K1 甲县 > B1, B2; P > C2 乙市 > C2-K1 > B1 of 乙县.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.importing import COLUMNS as ORG_COLUMNS
from branches.importing import ORGANIZATION_IMPORT
from branches.models import Organization, Role
from members.models import Member, Move
from reports.models import EducationCount
from tests import factories
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db

State = Move.State


def as_user(client, user):
    client.force_login(user)
    return client


def moved_on():
    return (timezone.localdate() - timedelta(days=3)).isoformat()


def record_move(client, user, member, destination):
    """Record a move on the moves page, as ``user``; the move recorded."""
    response = as_user(client, user).post(
        reverse("moves:new"),
        {
            "id_number": member.id_number,
            "reason": Move.Reason.EMPLOYMENT,
            "moved_on": moved_on(),
            "destination_code": destination.code,
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    return Move.objects.get(member=member, state=State.MOVED)


def confirm(client, user, move):
    return as_user(client, user).post(reverse("moves:confirm", args=[move.pk]), {})


@pytest.fixture
def held_elsewhere(small_province):
    """A member developed by 乙县's branch, now held by 甲县's branch B1."""
    p = small_province
    return factories.MemberFactory(branch=p.branch, developing_organization=p.foreign_branch)


# --- report-in -----------------------------------------------------------------------------------


def test_developing_committee_cannot_take_a_member_held_by_another(
    client, small_province, held_elsewhere
):
    """乙市 developed the member and records the move into its own branch, but its report-in is
    refused (404): the member stays in 甲县's branch and the move stays pending."""
    p = small_province
    move = record_move(client, p.other_city_user, held_elsewhere, p.foreign_branch)
    response = confirm(client, p.other_city_user, move)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Member.objects.get(pk=held_elsewhere.pk).branch == p.branch
    assert Move.objects.get(pk=move.pk).state == State.MOVED
    # The pages offer no confirmation either.
    detail = client.get(reverse("moves:detail", args=[move.pk]))
    assert detail.context["can_confirm"] is False
    inbox = client.get(reverse("moves:inbox"))
    assert [m.can_confirm for m in inbox.context["page"]] == [False]
    assert reverse("moves:confirm", args=[move.pk]) not in inbox.content.decode()


def test_a_committee_above_both_confirms_the_developers_move(
    client, small_province, held_elsewhere
):
    """The province holds both sides: it confirms, and the member's branch changes."""
    p = small_province
    move = record_move(client, p.other_city_user, held_elsewhere, p.foreign_branch)
    response = confirm(client, p.province_user, move)
    assert response.status_code == HTTPStatus.FOUND
    assert Member.objects.get(pk=held_elsewhere.pk).branch == p.foreign_branch
    assert Move.objects.get(pk=move.pk).state == State.REPORTED


def test_the_holder_records_and_the_developer_receives(client, small_province, held_elsewhere):
    """When the holding committee records the move itself, the receiving side confirms it,
    though that side is also the developing one."""
    p = small_province
    move = record_move(client, p.county_user, held_elsewhere, p.foreign_branch)
    response = confirm(client, p.other_city_user, move)
    assert response.status_code == HTTPStatus.FOUND
    assert Member.objects.get(pk=held_elsewhere.pk).branch == p.foreign_branch
    assert Move.objects.get(pk=move.pk).reported_by == p.other_city_user


def test_a_third_receiving_side_confirms_the_developers_move(
    client, small_province, held_elsewhere
):
    """The developing committee records where the member went; a third city receives them."""
    p = small_province
    third_city = factories.committee(p.province, code="C3", name="丙市团委")
    destination = factories.branch(third_city, code="C3-B1", name="丙市第一团支部")
    third_user = factories.user_with_role(third_city, Role.COMMITTEE, username="city3")
    move = record_move(client, p.other_city_user, held_elsewhere, destination)
    assert confirm(client, third_user, move).status_code == HTTPStatus.FOUND
    assert Member.objects.get(pk=held_elsewhere.pk).branch == destination


def test_a_developer_cannot_pull_a_member_through_a_committee_destination(
    client, small_province, held_elsewhere
):
    """A move to a committee above the developer, with the branch chosen at report-in, does not
    open the door either: the developer's own branch is refused as the target."""
    p = small_province
    move = record_move(client, p.other_city_user, held_elsewhere, p.other_city)
    response = as_user(client, p.other_city_user).post(
        reverse("moves:confirm", args=[move.pk]), {"branch": p.foreign_branch.pk}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Member.objects.get(pk=held_elsewhere.pk).branch == p.branch


def test_only_the_receiving_side_confirms(client, small_province):
    """The developing and holding side of a move to another city cannot confirm it."""
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    move = record_move(client, p.county_user, member, p.foreign_branch)
    assert confirm(client, p.county_user, move).status_code == HTTPStatus.NOT_FOUND
    assert Member.objects.get(pk=member.pk).branch == p.branch
    assert confirm(client, p.other_city_user, move).status_code == HTTPStatus.FOUND
    assert Member.objects.get(pk=member.pk).branch == p.foreign_branch


def test_a_committee_cannot_edit_a_members_branch_in_the_admin(client, small_province):
    """Committees read members; the admin refuses their change of a member's branch."""
    p = small_province
    member = factories.MemberFactory(branch=p.branch)
    url = reverse("admin:members_member_change", args=[member.pk])
    response = as_user(client, p.city_user).post(url, {"branch": p.other_branch.pk})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Member.objects.get(pk=member.pk).branch == p.branch


# --- school codes --------------------------------------------------------------------------------

OTHER_CITY_SCHOOL = "313502039901"
OWN_CITY_SCHOOL = "313501019901"
NOWHERE_SCHOOL = "313599990001"


@pytest.fixture
def education(small_province):
    """Three schools absent from the tree: one counted in 乙市, one in 甲市, one in no city."""
    for code, name, city in (
        (OTHER_CITY_SCHOOL, "乙市民办学校", "乙市"),
        (OWN_CITY_SCHOOL, "甲市民办学校", "甲市"),
        (NOWHERE_SCHOOL, "丁市技工学校", "丁市"),
    ):
        EducationCount.objects.create(
            year=2019,
            school_code=code,
            school_name=name,
            ownership=Organization.Ownership.PRIVATE,
            city_name=city,
            education_count=10,
        )


def add_school(client, user, school_code, code="NEW-S"):
    return as_user(client, user).post(
        reverse("admin:branches_organization_add"),
        {
            "code": code,
            "name": "新学校团委",
            "parent_code": "C1-K1",
            "kind": Organization.Kind.GRASSROOTS,
            "sector": Organization.Sector.SCHOOL,
            "school_code": school_code,
            "ownership": Organization.Ownership.PRIVATE,
        },
    )


@pytest.mark.parametrize("role", ["county_user", "city_user"])
@pytest.mark.parametrize("school_code", [OTHER_CITY_SCHOOL, NOWHERE_SCHOOL])
def test_a_committee_cannot_claim_another_citys_school(
    client, small_province, education, role, school_code
):
    """甲市's committees typing a school code counted in 乙市 (or in no known city, the
    province's) get a form error, and nothing is created."""
    response = add_school(client, getattr(small_province, role), school_code)
    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert "团省委" in " ".join(errors["school_code"])
    assert not Organization.objects.filter(code="NEW-S").exists()


def test_a_committee_claims_a_school_counted_in_its_own_city(client, small_province, education):
    """甲县 lies in 甲市: a blank counted in 甲市 may become one of its schools."""
    response = add_school(client, small_province.county_user, OWN_CITY_SCHOOL)
    assert response.status_code == HTTPStatus.FOUND
    assert Organization.objects.get(code="NEW-S").school_code == OWN_CITY_SCHOOL


def test_the_province_attributes_any_school(client, small_province, education):
    response = add_school(client, small_province.province_user, OTHER_CITY_SCHOOL)
    assert response.status_code == HTTPStatus.FOUND
    assert Organization.objects.get(code="NEW-S").school_code == OTHER_CITY_SCHOOL


def test_a_committee_cannot_release_another_citys_school(client, small_province, education):
    """A school the province tied to 甲县 though counted in 乙市 stays tied: clearing or changing
    its code would move the row into 乙市's reconciliation."""
    p = small_province
    school = factories.committee(
        p.county,
        kind=Organization.Kind.GRASSROOTS,
        code="C1-S",
        name="甲县民办学校团委",
        sector=Organization.Sector.SCHOOL,
        school_code=OTHER_CITY_SCHOOL,
        ownership=Organization.Ownership.PRIVATE,
    )
    response = as_user(client, p.county_user).post(
        reverse("admin:branches_organization_change", args=[school.pk]),
        {
            "code": school.code,
            "name": school.name,
            "parent_code": "C1-K1",
            "kind": school.kind,
            "sector": school.sector,
            "school_code": "",
            "ownership": "",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "school_code" in response.context["adminform"].form.errors
    assert Organization.objects.get(pk=school.pk).school_code == OTHER_CITY_SCHOOL


def test_a_committee_cannot_delete_another_citys_school(client, small_province, education):
    """Deleting the school would drop its row into 乙市's blanks: refused; the province may."""
    p = small_province
    school = factories.committee(
        p.county,
        kind=Organization.Kind.GRASSROOTS,
        code="C1-S",
        name="甲县民办学校团委",
        sector=Organization.Sector.SCHOOL,
        school_code=OTHER_CITY_SCHOOL,
        ownership=Organization.Ownership.PRIVATE,
    )
    url = reverse("admin:branches_organization_delete", args=[school.pk])
    response = as_user(client, p.county_user).post(url, {"post": "yes"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Organization.objects.filter(pk=school.pk).exists()
    response = as_user(client, p.province_user).post(url, {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert not Organization.objects.filter(pk=school.pk).exists()


def test_the_organisation_import_refuses_another_citys_school(tmp_path, small_province, education):
    """The import names the row and writes nothing, the good row included."""
    rows = [
        ["C1-K1-S1", "甲县甲校团委", "C1-K1", "基层团委", "学校", OWN_CITY_SCHOOL, "民办", ""],
        ["C1-K1-S2", "甲县乙校团委", "C1-K1", "基层团委", "学校", OTHER_CITY_SCHOOL, "民办", ""],
    ]
    path = write_xlsx(tmp_path / "orgs.xlsx", ORG_COLUMNS, rows)
    outcome = ORGANIZATION_IMPORT.run(path, user=small_province.county_user)
    assert not outcome.ok
    assert [e.row for e in outcome.errors] == [4]
    assert "团省委" in outcome.errors[0].message
    assert not Organization.objects.filter(code__startswith="C1-K1-S").exists()
    outcome = ORGANIZATION_IMPORT.run(path, user=small_province.province_user)
    assert outcome.ok
    assert Organization.objects.filter(code__startswith="C1-K1-S").count() == 2

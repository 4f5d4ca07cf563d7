"""Masking that masks: readers who do not edit a member's record see the ID number's first six and
last four characters, no birth date (the eight characters the mask hides) but the age in years,
and find members by a whole ID number only; editors see and search everything."""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Organization
from members import privacy
from members.models import Move
from tests import factories
from tests.xlsx import read_xlsx

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:members_member_changelist"
BIRTH = date(2001, 3, 15)


def as_user(client, user):
    client.force_login(user)
    return client


def birth_shown(body, birth=BIRTH):
    """Whether ``body`` shows the birth date in any of the ways pages write a date."""
    written = [birth.isoformat(), f"{birth:%Y%m%d}", f"{birth.year}年{birth.month}月{birth.day}日"]
    return any(text in body for text in written)


@pytest.fixture
def member(small_province):
    return factories.MemberFactory(branch=small_province.branch, birth_date=BIRTH, gender="M")


def test_the_rule_in_one_place(small_province, member):
    sp = small_province
    today = timezone.localdate()
    age = today.year - BIRTH.year - ((today.month, today.day) < (BIRTH.month, BIRTH.day))
    assert privacy.id_number_for(sp.secretary, member) == member.id_number
    assert privacy.id_number_for(sp.province_user, member) == member.id_number
    for reader in (sp.county_user, sp.city_user):
        assert privacy.id_number_for(reader, member) == member.masked_id_number
        assert privacy.birth_for(reader, member) == f"{age}岁"
    assert privacy.birth_for(sp.secretary, member) == BIRTH.isoformat()


@pytest.mark.parametrize("role", ["county_user", "city_user"])
def test_change_page_shows_the_age_instead_of_the_birth_date(client, small_province, member, role):
    """The masked ID number stands beside the age, never beside the birth date."""
    body = (
        as_user(client, getattr(small_province, role))
        .get(reverse("admin:members_member_change", args=[member.pk]))
        .content.decode()
    )
    assert member.masked_id_number in body
    assert member.id_number not in body
    assert not birth_shown(body)
    assert privacy.age_text(BIRTH) in body


def test_editors_see_the_whole_record(client, small_province, member):
    body = (
        as_user(client, small_province.secretary)
        .get(reverse("admin:members_member_change", args=[member.pk]))
        .content.decode()
    )
    assert member.id_number in body
    assert birth_shown(body)


def test_history_shows_ages_not_birth_dates_to_readers(client, small_province, member):
    sp = small_province
    member.birth_date = date(2001, 3, 16)
    member._change_reason = "test"
    member.save()
    url = reverse("admin:members_member_history", args=[member.pk])
    body = as_user(client, sp.county_user).get(url).content.decode()
    assert not birth_shown(body) and not birth_shown(body, date(2001, 3, 16))
    assert member.id_number not in body


def test_prefix_search_finds_nothing_for_a_masking_role(client, small_province, member):
    """The start of an ID number spells nothing out to readers; the whole number finds."""
    for reader in (small_province.county_user, small_province.city_user):
        c = as_user(client, reader)
        for length in (6, 10, 14, 17):
            response = c.get(reverse(CHANGELIST), {"q": member.id_number[:length]})
            assert list(response.context["cl"].result_list) == [], length
        response = c.get(reverse(CHANGELIST), {"q": member.id_number})
        assert [m.pk for m in response.context["cl"].result_list] == [member.pk]


def test_prefix_search_reaches_only_the_records_one_edits(client, small_province, member):
    """A secretary finds their own member by the start of the ID number, but not a member
    they developed who now belongs to another branch (they only read that one)."""
    sp = small_province
    moved_away = factories.MemberFactory(
        branch=sp.other_branch, developing_organization=sp.branch, birth_date=BIRTH, gender="M"
    )
    assert moved_away.id_number[:14] == member.id_number[:14]
    c = as_user(client, sp.secretary)
    response = c.get(reverse(CHANGELIST), {"q": member.id_number[:14]})
    assert [m.pk for m in response.context["cl"].result_list] == [member.pk]
    response = c.get(reverse(CHANGELIST), {"q": moved_away.id_number})
    assert [m.pk for m in response.context["cl"].result_list] == [moved_away.pk]
    # The search box repeats what was typed; the row shows the mask.
    assert moved_away.masked_id_number in response.content.decode()


def test_branch_page_masks_for_committees(client, small_province, member):
    url = reverse("dashboard") + f"?org={small_province.branch.code}"
    body = as_user(client, small_province.county_user).get(url).content.decode()
    assert member.masked_id_number in body and member.id_number not in body
    assert not birth_shown(body)


@pytest.fixture
def graduating(small_province):
    sp = small_province
    school = factories.committee(
        sp.county,
        kind=Organization.Kind.GRASSROOTS,
        code="S1",
        name="甲县一中团委",
        sector="school",
    )
    branch = factories.class_branch(
        school,
        code="S1-C1",
        name="高三1班团支部",
        graduation_date=timezone.localdate() + timedelta(days=30),
    )
    return factories.MemberFactory(branch=branch, birth_date=BIRTH, gender="M")


def test_class_page_and_its_template_mask_for_committees(
    client, tmp_path, small_province, graduating
):
    """The template a committee downloads follows the class page: masked numbers."""
    code = graduating.branch.code
    c = as_user(client, small_province.county_user)
    page = c.get(reverse("moves:class", args=[code])).content.decode()
    assert graduating.masked_id_number in page and graduating.id_number not in page
    response = c.get(reverse("moves:class_template", args=[code]))
    assert response.status_code == HTTPStatus.OK
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = read_xlsx(path)
    assert [r[2] for r in rows[2:]] == [graduating.masked_id_number]


def test_class_page_and_its_template_are_whole_for_the_province(
    client, tmp_path, small_province, graduating
):
    code = graduating.branch.code
    c = as_user(client, small_province.province_user)
    page = c.get(reverse("moves:class", args=[code])).content.decode()
    assert graduating.id_number in page
    response = c.get(reverse("moves:class_template", args=[code]))
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    assert [r[2] for r in read_xlsx(path)[2:]] == [graduating.id_number]


def test_move_page_masks_for_both_sides(client, small_province, member):
    sp = small_province
    from members.moves import services as moves

    move = moves.move_create(
        member=member,
        user=sp.county_user,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate(),
        destination_organization=sp.foreign_branch,
    )
    for reader in (sp.county_user, sp.other_city_user):
        body = as_user(client, reader).get(reverse("moves:detail", args=[move.pk])).content
        body = body.decode()
        assert member.masked_id_number in body and member.id_number not in body
        assert not birth_shown(body)

"""The cadre register: the record, its rules (in the model and in the database), the services
that write it, and its admin, kept to the user's subtree.

The tree (``small_province``): P > C1 甲市 > C1-K1 甲县 > B1, B2; P > C2 乙市 > C2-K1 > B1 of 乙县.
"""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import Cadre
from branches.validators import validate_id_number
from members.demo import fake_id_number
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

Position = Cadre.Position


def create(organization, user=None, **fields):
    values = {
        "position": Position.SECRETARY,
        "name": "林晓明",
        "start_date": date(2022, 3, 1),
        "nature": Cadre.Nature.FULL_TIME,
    }
    values.update(fields)
    return services.cadre_create(organization=organization, user=user, **values)


def test_cadre_create_stores_the_person_and_the_term(small_province):
    """A cadre need not be a member: the record carries the person, the post and the term;
    the phone is stored in its one written form and the ID number fills birth date and gender."""
    id_number = fake_id_number(date(1988, 4, 12), "F", serial=3)
    cadre = create(
        small_province.county,
        user=small_province.city_user,
        id_number=f" {id_number[:6]} {id_number[6:].lower()}",
        phone="139 0591 0002",
        ethnicity="畲族",
        education="硕士研究生",
        political_status=Cadre.PoliticalStatus.PARTY_MEMBER,
        on_party_committee=True,
        term="第三届",
        term_end=date(2027, 3, 1),
    )
    cadre.refresh_from_db()
    assert cadre.phone == "13905910002"
    assert cadre.id_number == id_number
    assert cadre.birth_date == date(1988, 4, 12)
    assert cadre.gender == Cadre.Gender.FEMALE
    assert cadre.is_active
    assert cadre.history.count() == 1


def test_id_number_check_digit_and_birth_date_are_checked():
    """An ID number must have its GB 11643 check character and a real birth date."""
    good = fake_id_number(date(1990, 1, 2), "M")
    validate_id_number(good)
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError):
        validate_id_number(wrong_check)
    with pytest.raises(ValidationError):
        validate_id_number("12345")


def test_birth_date_and_gender_must_agree_with_the_id_number(small_province):
    id_number = fake_id_number(date(1988, 4, 12), "F", serial=3)
    with pytest.raises(ValidationError) as caught:
        create(
            small_province.county,
            id_number=id_number,
            birth_date=date(1988, 4, 13),
            gender=Cadre.Gender.MALE,
        )
    assert set(caught.value.message_dict) == {"birth_date", "gender"}


def test_a_bad_phone_is_refused(small_province):
    with pytest.raises(ValidationError) as caught:
        create(small_province.county, phone="12345")
    assert "phone" in caught.value.message_dict


def test_term_must_end_after_the_start(small_province):
    """In the form's validation and in the database alike."""
    with pytest.raises(ValidationError):
        create(small_province.county, term_end=date(2022, 3, 1))
    cadre = CadreFactory(organization=small_province.county)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cadre.objects.filter(pk=cadre.pk).update(term_end=cadre.start_date)


def test_one_secretary_in_post_per_organisation(small_province):
    """A second 书记 in post is refused (by validation and by the database); once the first
    post has ended, a new secretary may take office. Deputies are not limited."""
    first = CadreFactory(organization=small_province.county)
    with pytest.raises(ValidationError):
        create(small_province.county)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cadre.objects.create(
            organization=small_province.county,
            position=Position.SECRETARY,
            name="重复",
            nature=Cadre.Nature.PART_TIME,
            start_date=date(2023, 1, 1),
        )
    create(small_province.county, position=Position.DEPUTY_SECRETARY, name="甲")
    create(small_province.county, position=Position.DEPUTY_SECRETARY, name="乙")
    services.cadre_end(cadre=first, ended_on=date(2024, 1, 1))
    successor = create(small_province.county, name="新书记", start_date=date(2024, 1, 2))
    assert successor.pk
    assert first.history.count() == 2


def test_a_post_cannot_end_twice_or_before_it_began(small_province):
    cadre = CadreFactory(organization=small_province.county, start_date=date(2022, 1, 1))
    with pytest.raises(ValidationError):
        services.cadre_end(cadre=cadre, ended_on=date(2021, 12, 31))
    cadre.refresh_from_db()
    services.cadre_end(cadre=cadre, ended_on=date(2023, 1, 1))
    with pytest.raises(ValidationError):
        services.cadre_end(cadre=cadre, ended_on=date(2023, 2, 1))


def test_services_refuse_organisations_outside_the_users_subtree(small_province):
    """A committee neither creates, changes, moves nor ends cadres outside its subtree; a
    secretary records none."""
    p = small_province
    with pytest.raises(ValidationError):
        create(p.foreign_branch, user=p.city_user)
    with pytest.raises(ValidationError):
        create(p.branch, user=p.secretary)
    foreign = CadreFactory(organization=p.foreign_branch)
    with pytest.raises(ValidationError):
        services.cadre_update(cadre=foreign, user=p.city_user, phone="13800000000")
    with pytest.raises(ValidationError):
        services.cadre_end(cadre=foreign, ended_on=date(2024, 1, 1), user=p.city_user)
    own = CadreFactory(organization=p.branch)
    with pytest.raises(ValidationError):
        services.cadre_update(cadre=own, user=p.city_user, organization=p.foreign_branch)
    assert Cadre.objects.get(pk=own.pk).organization == p.branch
    assert Cadre.objects.get(pk=foreign.pk).ended_on is None


def test_unknown_fields_are_a_programming_error(small_province):
    with pytest.raises(TypeError):
        create(small_province.county, salary=1)


# --- admin ---------------------------------------------------------------------------------------


def admin_form(organization, **overrides):
    data = {
        "organization": organization.pk,
        "position": Position.SECRETARY,
        "nature": Cadre.Nature.PART_TIME,
        "name": "陈雅婷",
        "id_number": "",
        "gender": "",
        "birth_date": "",
        "ethnicity": "汉族",
        "education": "大学本科",
        "phone": "0591-87517537",
        "political_status": Cadre.PoliticalStatus.LEAGUE_MEMBER,
        "start_date": "2023-09-01",
        "term": "第二届",
        "term_end": "2028-09-01",
        "ended_on": "",
    }
    data.update(overrides)
    return data


def test_admin_lists_only_cadres_of_the_subtree(client, small_province):
    p = small_province
    mine = CadreFactory(organization=p.branch, name="本县干部")
    CadreFactory(organization=p.foreign_branch, name="外县干部")
    client.force_login(p.city_user)
    response = client.get(reverse("admin:branches_cadre_changelist"))
    assert response.status_code == HTTPStatus.OK
    names = [c.name for c in response.context["cl"].result_list]
    assert names == [mine.name]


def test_admin_answers_404_for_a_cadre_outside_the_subtree(client, small_province):
    p = small_province
    foreign = CadreFactory(organization=p.foreign_branch)
    client.force_login(p.city_user)
    for view in ("change", "history", "delete"):
        url = reverse(f"admin:branches_cadre_{view}", args=[foreign.pk])
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, view
    data = admin_form(p.branch, name="改名")
    response = client.post(reverse("admin:branches_cadre_change", args=[foreign.pk]), data)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Cadre.objects.get(pk=foreign.pk).name != "改名"


def test_admin_creates_cadres_only_in_the_subtree(client, small_province):
    """The organisation choices stop at the subtree: posting another city's organisation is a
    form error and nothing is created."""
    p = small_province
    client.force_login(p.city_user)
    add = reverse("admin:branches_cadre_add")
    refused = client.post(add, admin_form(p.foreign_branch))
    assert refused.status_code == HTTPStatus.OK
    assert "organization" in refused.context["adminform"].form.errors
    assert not Cadre.objects.exists()
    accepted = client.post(add, admin_form(p.branch))
    assert accepted.status_code == HTTPStatus.FOUND
    cadre = Cadre.objects.get()
    assert cadre.organization == p.branch
    assert cadre.history.get().history_user == p.city_user


def test_secretaries_see_their_branch_cadres_but_do_not_edit_them(client, small_province):
    p = small_province
    own = CadreFactory(organization=p.branch)
    client.force_login(p.secretary)
    assert client.get(reverse("admin:branches_cadre_changelist")).status_code == HTTPStatus.OK
    response = client.post(reverse("admin:branches_cadre_add"), admin_form(p.branch))
    assert response.status_code == HTTPStatus.FORBIDDEN
    change = client.post(
        reverse("admin:branches_cadre_change", args=[own.pk]), admin_form(p.branch, name="改")
    )
    assert change.status_code == HTTPStatus.FORBIDDEN


def test_admin_action_ends_the_selected_posts(client, small_province):
    p = small_province
    cadre = CadreFactory(
        organization=p.branch, start_date=timezone.localdate() - timedelta(days=400)
    )
    client.force_login(p.city_user)
    response = client.post(
        reverse("admin:branches_cadre_changelist"),
        {"action": "end_posts_today", "_selected_action": [cadre.pk]},
    )
    assert response.status_code == HTTPStatus.FOUND
    cadre.refresh_from_db()
    assert cadre.ended_on is not None


def test_admin_pages_render_in_chinese(client, small_province):
    """The add form, the list with its filters and a cadre's history page answer, labelled by
    the register's Chinese names."""
    p = small_province
    cadre = CadreFactory(organization=p.branch)
    client.force_login(p.city_user)
    add = client.get(reverse("admin:branches_cadre_add"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert add.status_code == HTTPStatus.OK
    html = add.content.decode()
    for label in ("职务", "任职性质", "是否同级党委委员", "届次", "届满时间", "政治面貌"):
        assert label in html, label
    listing = client.get(
        reverse("admin:branches_cadre_changelist"), {"in_post": "yes", "under": "C1-K1"}
    )
    assert [c.pk for c in listing.context["cl"].result_list] == [cadre.pk]
    history = client.get(reverse("admin:branches_cadre_history", args=[cadre.pk]))
    assert history.status_code == HTTPStatus.OK

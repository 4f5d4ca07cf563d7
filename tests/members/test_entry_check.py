"""The entry form's check as it is typed: the same rules as the save, before saving."""

from datetime import date
from http import HTTPStatus

import pytest
from django.urls import reverse

from branches.models import Role
from members.choices import Gender
from members.forms import MemberForm
from members.views_entry import entry_problems
from tests.factories import branch, committee, n2019, numbered_province, province, user_with_role
from tests.members.conftest import valid_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return numbered_province()


def mistyped(number):
    """``number`` with a wrong check character."""
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def check(client, user, **data):
    client.force_login(user)
    return client.post(reverse("members:entry_check"), data)


def test_a_valid_number_fills_birth_date_and_gender(client, p):
    number = valid_id(7, birth=date(2003, 8, 9), gender=Gender.FEMALE)
    answer = check(client, p.b2_secretary, id_number=number).json()
    assert answer["fill"] == {"birth_date": "2003-08-09", "gender": "F", "gender_label": "女"}
    assert answer["problems"] == {}


def test_a_mistyped_number_is_refused_with_the_save_message(client, p):
    answer = check(client, p.b2_secretary, id_number=mistyped(valid_id(7))).json()
    assert answer["fill"] == {}
    assert answer["problems"]["id_number"] == ["公民身份号码的校验位不对，请检查是否输错了数字。"]


def test_problems_match_the_forms_own_validation(p):
    """The check and the save give the same messages for the same input."""
    data = {
        "name": "张晓明",
        "gender": "M",
        "ethnicity": "01",
        "birth_date": "2001-03-15",
        "id_number": mistyped(valid_id(3)),
        "education": "undergraduate",
        "identity": "student",
        "join_date": "2019-05-04",
        "development_number": "2019",
        "developing_organization": p.b2.pk,
        "branch": p.b2.pk,
        "phone": "13800138000",
    }
    form = MemberForm(data)
    assert not form.is_valid()
    _fill, problems, _notes = entry_problems(p.b2_secretary, data)
    assert problems["id_number"] == form.errors["id_number"]


def test_age_at_joining_shows_before_saving(client, p):
    number = valid_id(5, birth=date(2010, 1, 1))
    answer = check(client, p.b2_secretary, id_number=number, join_date="2019-05-04").json()
    assert answer["fill"]["birth_date"] == "2010-01-01"
    assert answer["problems"]["join_date"] == ["入团年龄应在14至28周岁之间，该团员入团时为9周岁。"]


def test_number_year_problem_shows_before_saving(client, p):
    answer = check(
        client,
        p.b2_secretary,
        id_number=valid_id(5),
        join_date="2019-05-04",
        development_number=str(n2019(10026) + 10**8),
        developing_organization=p.b2.pk,
    ).json()
    assert answer["problems"]["development_number"] == [
        "发展团员编号的前4位必须是入团年份（2019）。"
    ]


def test_a_good_entry_has_no_problems(client, p):
    answer = check(
        client,
        p.b2_secretary,
        id_number=valid_id(5),
        join_date="2019-05-04",
        development_number=str(n2019(10026)),
        developing_organization=p.b2.pk,
    ).json()
    assert answer["problems"] == {}


def test_only_those_who_enter_members_may_ask(client):
    root = province(code="P9")
    city = committee(root, code="C9")
    branch(city, code="B9")
    committee_user = user_with_role(city, Role.COMMITTEE)
    assert check(client, committee_user, id_number="1").status_code == HTTPStatus.FORBIDDEN


def test_get_is_not_allowed(client, p):
    client.force_login(p.b2_secretary)
    assert client.get(reverse("members:entry_check")).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_form_carries_the_check_url(p):
    form = MemberForm()
    assert form["id_number"].as_widget().count(reverse("members:entry_check")) == 1
    assert "members/entry_form.js" in str(form.media)

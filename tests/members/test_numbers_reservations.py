"""Numbers reserved by the entry form: held for that form, freed at expiry or on release."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from members.models import IssuedNumber
from members.numbers import reservations
from tests.factories import n2019, new_member, numbered_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return numbered_province()


def reserve(p, user=None, form_key="form-a"):
    return reservations.number_reserve(
        organization=p.b2, user=user or p.b2_secretary, year=2019, form_key=form_key
    )


def test_reserve_holds_the_number_for_the_configured_minutes(p):
    with override_settings(YOUTHLEAGUE={**_settings(), "NUMBER_RESERVATION_MINUTES": 15}):
        before = timezone.now()
        taken = reserve(p)
    assert taken.number == n2019(10026)
    assert taken.issued_by == p.b2_secretary
    assert taken.form_key == "form-a"
    assert timedelta(minutes=14) < taken.expires_at - before <= timedelta(minutes=15, seconds=5)


def _settings():
    from django.conf import settings

    return settings.YOUTHLEAGUE


def test_the_same_form_gets_the_same_number_again(p):
    first = reserve(p)
    again = reserve(p)
    assert again.pk == first.pk
    assert IssuedNumber.objects.count() == 1


def test_another_form_gets_the_next_number(p):
    assert reserve(p, form_key="form-a").number == n2019(10026)
    assert reserve(p, form_key="form-b").number == n2019(10027)


def test_a_number_reserved_by_someone_else_is_never_handed_out(p):
    assert reserve(p, user=p.b2_secretary, form_key="same").number == n2019(10026)
    # Another user's form, even with the same key, gets its own number.
    assert reserve(p, user=p.k1_user, form_key="same").number == n2019(10027)


def test_an_expired_unused_reservation_returns_to_the_free_pool(p):
    taken = reserve(p)
    IssuedNumber.objects.filter(pk=taken.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    again = reserve(p, user=p.k1_user, form_key="other")
    assert again.number == n2019(10026)
    assert IssuedNumber.objects.count() == 1


def test_a_used_reservation_stays_taken_after_expiry(p):
    taken = reserve(p)
    new_member(p.b2, taken.number)
    IssuedNumber.objects.filter(pk=taken.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert reservations.reservations_expire() == 0
    assert reserve(p, form_key="other").number == n2019(10027)


def test_reservations_expire_frees_only_expired_unused_ones(p):
    live = reserve(p, form_key="a")
    stale = reserve(p, form_key="b")
    IssuedNumber.objects.filter(pk=stale.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert reservations.reservations_expire() == 1
    assert list(IssuedNumber.objects.values_list("pk", flat=True)) == [live.pk]


def test_release_returns_the_number_to_the_free_pool(p):
    taken = reserve(p)
    reservations.number_reservation_release(number=taken.number, user=p.b2_secretary)
    assert not IssuedNumber.objects.exists()
    assert reserve(p, form_key="other").number == taken.number


def test_only_the_taker_releases_a_reservation(p):
    taken = reserve(p)
    with pytest.raises(ValidationError):
        reservations.number_reservation_release(number=taken.number, user=p.k1_user)
    assert IssuedNumber.objects.filter(pk=taken.pk).exists()


def test_a_used_number_cannot_be_released(p):
    taken = reserve(p)
    new_member(p.b2, taken.number)
    with pytest.raises(ValidationError):
        reservations.number_reservation_release(number=taken.number, user=p.b2_secretary)


def test_the_button_reserves_for_its_form(client, p):
    client.force_login(p.b2_secretary)
    url = reverse("members:number_next")
    data = {"organization": p.b2.pk, "year": "2019", "form_key": "abc123"}
    first = client.post(url, data).json()
    second = client.post(url, data).json()
    assert first["number"] == second["number"] == "201900010026"
    assert "保留至" in first["message"]
    other = client.post(url, {**data, "form_key": "def456"}).json()
    assert other["number"] == "201900010027"


def test_branch_page_lists_own_reservations_and_releases_them(client, p):
    taken = reserve(p)
    client.force_login(p.b2_secretary)
    page = client.get(reverse("dashboard"))
    assert page.status_code == HTTPStatus.OK
    assert "201900010026" in page.content.decode()
    assert page.context["reservations"][0] == taken
    response = client.post(
        reverse("members:reservation_release"), {"number": "201900010026"}, follow=True
    )
    assert "编号 201900010026 已释放" in response.content.decode()
    assert not IssuedNumber.objects.exists()


def test_release_of_someone_elses_number_says_so_and_keeps_it(client, p):
    reserve(p)
    client.force_login(p.k1_user)
    response = client.post(
        reverse("members:reservation_release"), {"number": "201900010026"}, follow=True
    )
    assert "您没有保留这个编号" in response.content.decode()
    assert IssuedNumber.objects.count() == 1


def test_the_widget_keeps_its_form_key_when_the_form_comes_back(p):
    from members.widgets import DevelopmentNumberWidget

    widget = DevelopmentNumberWidget()
    widget.value_from_datadict({"development_number_form_key": "k123"}, {}, "development_number")
    html = widget.render("development_number", "")
    assert 'name="development_number_form_key" value="k123"' in html
    fresh = DevelopmentNumberWidget().render("development_number", "")
    assert 'name="development_number_form_key" value="' in fresh
    assert 'value="k123"' not in fresh


def test_the_issued_numbers_admin_shows_until_when_a_number_is_reserved(client, p):
    taken = reserve(p)
    client.force_login(p.k1_user)
    text = client.get(reverse("admin:members_issuednumber_changelist")).content.decode()
    assert "保留至" in text
    assert timezone.localtime(taken.expires_at).strftime("%Y-%m-%d %H:%M") in text

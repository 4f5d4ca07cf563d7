"""One date format everywhere: 2019-05-30, in every language, on pages and in the admin."""

from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_read_year_month_day(language):
    with translation.override(language):
        assert date_format(date(2019, 5, 30)) == "2019-05-30"
        assert date_format(date(2019, 5, 30), "SHORT_DATE_FORMAT") == "2019-05-30"
        assert date_format(datetime(2019, 5, 30, 9, 5), "DATETIME_FORMAT") == "2019-05-30 09:05"
        rendered = Template("{{ day }}|{{ day|date }}").render(Context({"day": date(2019, 5, 30)}))
        assert rendered == "2019-05-30|2019-05-30"


def test_the_admin_list_shows_dates_the_same_way(client, small_province):
    member = MemberFactory(
        branch=small_province.branch, birth_date=date(2002, 3, 1), join_date=date(2019, 5, 30)
    )
    client.force_login(small_province.secretary)
    text = client.get(reverse("admin:members_member_changelist")).content.decode()
    assert "2019-05-30" in text
    assert "2019年5月30日" not in text
    assert member.name in text


def test_a_typed_date_in_the_same_format_is_read():
    from django import forms

    assert forms.DateField().clean("2019-05-30") == date(2019, 5, 30)

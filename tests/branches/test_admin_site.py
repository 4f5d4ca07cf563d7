"""The admin wears the site's header and lists in each role's menu only what it can use."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from branches.admin_site import LeagueAdminSite, menu_shows

pytestmark = pytest.mark.django_db


def menu(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return {
        f"{app['app_label']}.{model['object_name'].lower()}"
        for app in admin.site.get_app_list(request)
        for model in app["models"]
    }


def test_the_default_site_is_the_leagues():
    assert isinstance(admin.site, LeagueAdminSite)


def test_a_secretary_sees_only_members_and_their_branch(small_province):
    assert menu(small_province.secretary) == {"members.member", "branches.organization"}


def test_a_committee_sees_its_tools_but_not_the_provinces(small_province):
    entries = menu(small_province.county_user)
    assert {"members.member", "members.numberrange", "members.move", "auth.user"} <= entries
    assert "reports.educationcount" not in entries
    assert "reports.exportlog" not in entries


def test_the_province_sees_everything_registered(small_province):
    entries = menu(small_province.province_user)
    assert {"reports.educationcount", "reports.exportlog", "members.lookuplog"} <= entries


def test_an_unnamed_model_is_listed_to_those_who_may_change_it(small_province):
    user = small_province.secretary
    assert menu_shows(user, "other.thing", {"view": True, "change": True})
    assert not menu_shows(user, "other.thing", {"view": True})


def test_admin_pages_carry_the_sites_header_and_navigation(client, small_province):
    client.force_login(small_province.secretary)
    text = client.get(reverse("admin:index")).content.decode()
    assert 'class="site-header"' in text
    assert "css/header.css" in text and "css/admin_theme.css" in text
    assert 'id="nav-sidebar"' not in text
    # One 工作台: the site's home; the admin is 数据管理.
    assert text.count("工作台") == 1
    assert f'href="{reverse("home")}"' in text


def test_the_app_pages_carry_the_same_header(client, small_province):
    client.force_login(small_province.secretary)
    text = client.get(reverse("home")).content.decode()
    assert 'class="site-header"' in text and "css/header.css" in text


def test_login_page_still_opens(client):
    assert client.get(reverse("admin:login")).status_code == HTTPStatus.OK

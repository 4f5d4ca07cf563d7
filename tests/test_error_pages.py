"""Error pages: 403, 404 and 500 in Chinese, in the site's design, with a way back."""

from http import HTTPStatus

import pytest
from django.template import loader
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db


def assert_site_page(body):
    assert 'class="site-header"' in body  # the site's own design, not Django's bare page
    assert f'href="{reverse("home")}"' in body and "返回工作台" in body


def test_debug_is_off_in_the_suite(settings):
    """The bodies below are the ones users get: Django's technical pages need DEBUG on."""
    assert settings.DEBUG is False


def test_404_is_the_chinese_site_page(client, small_province):
    client.force_login(small_province.county_user)
    for url in (
        reverse("dashboard") + "?org=C2",  # outside the scope
        "/no-such-page/",
        reverse("admin:members_member_change", args=[999999]),
    ):
        response = client.get(url)
        assert response.status_code == HTTPStatus.NOT_FOUND
        body = response.content.decode()
        assert "页面不存在" in body and "Not Found" not in body
        assert_site_page(body)
        assert f'href="{reverse("dashboard")}"' in body


def test_404_for_the_anonymous(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    body = response.content.decode()
    assert "页面不存在" in body
    assert_site_page(body)


def test_403_is_the_chinese_site_page(client, small_province):
    client.force_login(small_province.secretary)
    response = client.get(reverse("reports:submissions"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    body = response.content.decode()
    assert "无权访问" in body and "403 Forbidden" not in body
    assert_site_page(body)


def test_csrf_failure_is_the_chinese_site_page(small_province):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(small_province.county_user)
    response = client.post(reverse("logout"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    body = response.content.decode()
    assert "表单已过期" in body
    assert_site_page(body)


def test_500_handler_renders_without_a_request_context():
    """Django renders 500.html with no request and no context processors; it still shows the
    site's page in Chinese with a way back."""
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    body = response.content.decode()
    assert "系统出错" in body
    assert_site_page(body)
    assert "系统出错" in loader.get_template("500.html").render()


def test_a_crashing_view_answers_the_500_page(client, small_province, monkeypatch):
    from reports import views

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "build_dashboard", crash)
    client.raise_request_exception = False
    client.force_login(small_province.county_user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "系统出错" in response.content.decode()

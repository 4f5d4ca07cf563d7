"""Sign-in, throttling, the home page and the grant command."""

import io
import logging
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from branches import access
from branches.models import Role

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "登录" in body and "用户名" in body and "密码" in body


def test_login_then_home_for_each_role(client, small_province):
    expected = {
        "sec": "支部信息",
        "city": "组织树",
        "prov": "账号管理",
    }
    for username, marker in expected.items():
        response = client.post(
            reverse("login"), {"username": username, "password": "pass-word-123"}, follow=True
        )
        assert response.status_code == HTTPStatus.OK
        assert marker in response.content.decode()
        client.post(reverse("logout"))


def test_repeated_failures_lock_the_account_and_are_logged(client, small_province, caplog):
    caplog.set_level(logging.WARNING, logger="youthleague.security")
    for _ in range(5):
        client.post(reverse("login"), {"username": "sec", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "sec", "password": "pass-word-123"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "暂时锁定" in response.content.decode()
    assert any("locked out" in r.getMessage() and "sec" in r.getMessage() for r in caplog.records)


def test_failures_spread_over_usernames_lock_the_address(client, small_province):
    """Seven failures over five usernames from one address lock it, even for a right password."""
    usernames = ["sec", "city", "prov", "county", "city2", "sec", "city"]
    for username in usernames:
        response = client.post(reverse("login"), {"username": username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": "prov", "password": "pass-word-123"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    other = client.post(
        reverse("login"),
        {"username": "prov", "password": "pass-word-123"},
        REMOTE_ADDR="10.9.8.7",
    )
    assert other.status_code == HTTPStatus.FOUND


def test_a_few_failures_over_usernames_lock_nothing(client, small_province):
    """Below the address limit and each username's limit, the right password still signs in."""
    for username in ["sec", "city", "prov", "county"]:
        client.post(reverse("login"), {"username": username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": "prov", "password": "pass-word-123"})
    assert response.status_code == HTTPStatus.FOUND


def test_client_ip_behind_a_proxy(rf, settings):
    from youthleague.client_ip import client_ip

    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CLIENT_IP_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "10.0.0.7"
    settings.CLIENT_IP_HEADER = ""
    assert client_ip(request) == "127.0.0.1"


def test_grant_creates_and_updates_users(small_province):
    out = io.StringIO()
    call_command(
        "grant",
        "newsec",
        "--org",
        "C1-K1-B2",
        "--role",
        "secretary",
        "--password",
        "Pw-12345678",
        stdout=out,
    )
    user = get_user_model().objects.get(username="newsec")
    assert user.check_password("Pw-12345678")
    assert access.role_of(user) == Role.SECRETARY
    assert access.home_organization(user).code == "C1-K1-B2"
    call_command("grant", "newsec", "--org", "C1-K1", "--role", "committee", stdout=out)
    user = get_user_model().objects.get(username="newsec")
    assert access.role_of(user) == Role.COMMITTEE
    assert user.check_password("Pw-12345678")


def test_grant_rejects_a_secretary_on_a_committee(small_province):
    with pytest.raises(CommandError):
        call_command("grant", "x", "--org", "C1", "--role", "secretary", stdout=io.StringIO())


def test_grant_rejects_unknown_org(db):
    with pytest.raises(CommandError):
        call_command("grant", "x", "--org", "NOPE", "--role", "secretary", stdout=io.StringIO())


def test_interface_is_chinese_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in response.content.decode()


def test_language_switch_gives_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert "Sign in" in response.content.decode()

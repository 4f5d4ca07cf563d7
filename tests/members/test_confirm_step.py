"""Confirming a report-in cannot be undone: the inbox's button opens a page that asks first."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Member, Move
from members.moves import services as moves
from tests.members.test_moves import build_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(small_province):
    return build_scene(small_province)


def test_inbox_button_opens_the_confirmation_instead_of_confirming(client, scene):
    move = moves.move_create(
        member=scene.member,
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate() - timedelta(days=3),
        user=scene.developing_user,
        destination_organization=scene.destination,
    )
    client.force_login(scene.receiving_user)
    inbox = client.get(reverse("moves:inbox")).content.decode()
    confirm_url = reverse("moves:confirm", args=[move.pk])
    assert f'action="{confirm_url}"' not in inbox
    assert f'href="{confirm_url}?next=' in inbox
    page = client.get(confirm_url, {"next": reverse("moves:inbox")})
    assert page.status_code == HTTPStatus.OK
    assert "确认后不能撤销" in page.content.decode()
    assert Member.objects.get(pk=scene.member.pk).branch != scene.destination
    done = client.post(confirm_url, {"next": reverse("moves:inbox")}, follow=True)
    assert "已报到" in done.content.decode()
    assert Member.objects.get(pk=scene.member.pk).branch == scene.destination

"""The ledger's unaccounted spans each carry a 登记 action opening the register pre-filled."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.models import format_number
from members.numbers.ledger import unaccounted_spans
from tests.factories import numbered_province

pytestmark = pytest.mark.django_db


def test_each_unaccounted_span_links_to_the_register_pre_filled(client):
    p = numbered_province()
    client.force_login(p.c1_user)
    body = client.get(reverse("members:ledger")).content.decode()
    spans = unaccounted_spans(p.c1)
    assert spans
    add = reverse("admin:members_unusednumber_add")
    for first, last in spans:
        assert f"{add}?first={format_number(first)}&amp;last={format_number(last)}" in body
    first, last = spans[0]
    form = client.get(add, {"first": format_number(first), "last": format_number(last)})
    assert form.status_code == HTTPStatus.OK
    fields = form.context["adminform"].form
    assert (fields["first"].value(), fields["last"].value()) == (
        format_number(first),
        format_number(last),
    )


def test_a_ledger_without_unaccounted_numbers_offers_no_register_action(client):
    p = numbered_province()
    client.force_login(p.c2_user)  # C2's numbers are all used or registered
    body = client.get(reverse("members:ledger")).content.decode()
    assert unaccounted_spans(p.c2) == []
    assert f"{reverse('admin:members_unusednumber_add')}?first=" not in body

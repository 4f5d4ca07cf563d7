"""The number admins: scoped lists, writes through the services, import buttons."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.models import IssuedNumber, NumberRange, UnusedNumber
from tests.factories import IssuedNumberFactory, n2019, numbered_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return numbered_province()


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("user", "holders"),
    [
        ("province_user", {"P", "C1", "K1", "B1", "C2"}),
        ("c1_user", {"C1", "K1", "B1"}),
        ("k1_user", {"K1", "B1"}),
        ("c2_user", {"C2"}),
        ("b1_secretary", {"B1"}),
    ],
)
def test_range_list_holds_only_the_scope(client, p, user, holders):
    response = as_user(client, getattr(p, user)).get(
        reverse("admin:members_numberrange_changelist")
    )
    assert response.status_code == HTTPStatus.OK
    assert {r.organization.code for r in response.context["cl"].result_list} == holders


def test_register_list_holds_only_the_scope(client, p):
    response = as_user(client, p.c1_user).get(reverse("admin:members_unusednumber_changelist"))
    assert {e.organization.code for e in response.context["cl"].result_list} == {"B1", "C1"}


def test_committee_hands_a_range_in_the_admin(client, p):
    response = as_user(client, p.c1_user).post(
        reverse("admin:members_numberrange_add"),
        {"organization": p.b3.pk, "first": "201900010060", "last": "２０１９０００１００６９"},
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    made = NumberRange.objects.get(organization=p.b3)
    assert (made.first, made.last, made.created_by) == (n2019(10060), n2019(10069), p.c1_user)
    assert made.history.first().history_user == p.c1_user


def test_the_admin_form_refuses_overlaps_and_foreign_holders(client, p):
    client = as_user(client, p.k1_user)
    url = reverse("admin:members_numberrange_add")
    response = client.post(
        url, {"organization": p.b2.pk, "first": "201900010015", "last": "201900010030"}
    )
    assert response.status_code == HTTPStatus.OK
    assert "该号段与已分配给本组织或其他组织的号段重叠。" in response.content.decode()
    response = client.post(
        url, {"organization": p.b4.pk, "first": "201900010131", "last": "201900010135"}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["organization"]
    form = client.get(url).context["adminform"].form
    assert p.k1 not in form.fields["organization"].queryset
    assert set(form.fields["organization"].queryset) == {p.b1, p.b2}
    assert NumberRange.objects.count() == 5


def test_secretaries_only_read_ranges(client, p):
    client = as_user(client, p.b1_secretary)
    assert client.get(reverse("admin:members_numberrange_add")).status_code == HTTPStatus.FORBIDDEN
    response = client.get(reverse("admin:members_numberrange_changelist"))
    assert "table_import_url" not in response.context


def test_range_outside_scope_answers_404(client, p):
    client = as_user(client, p.c1_user)
    other = p.ranges["C2"]
    for name in ("change", "delete", "history"):
        url = reverse(f"admin:members_numberrange_{name}", args=[other.pk])
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_changing_a_range_keeps_its_holder(client, p):
    client = as_user(client, p.c1_user)
    url = reverse("admin:members_numberrange_change", args=[p.ranges["K1"].pk])
    response = client.post(
        url, {"organization": p.c2.pk, "first": "201900010001", "last": "201900010038"}
    )
    assert response.status_code == HTTPStatus.FOUND
    k1_range = NumberRange.objects.get(pk=p.ranges["K1"].pk)
    assert k1_range.organization == p.k1 and k1_range.last == n2019(10038)


def test_a_range_in_use_is_not_withdrawn(client, p):
    client = as_user(client, p.k1_user)
    url = reverse("admin:members_numberrange_delete", args=[p.ranges["B1"].pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert NumberRange.objects.filter(pk=p.ranges["B1"].pk).exists()
    assert "不能收回" in response.content.decode()


def test_an_empty_range_is_withdrawn(client, p):
    empty = NumberRange.objects.create(organization=p.b2, first=n2019(10030), last=n2019(10035))
    client = as_user(client, p.k1_user)
    client.post(reverse("admin:members_numberrange_delete", args=[empty.pk]), {"post": "yes"})
    assert not NumberRange.objects.filter(pk=empty.pk).exists()


def test_register_a_span_in_the_admin(client, p):
    response = as_user(client, p.k1_user).post(
        reverse("admin:members_unusednumber_add"),
        {
            "first": "201900010030",
            "last": "201900010032",
            "status": "voided",
            "explanation": "填错",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    entry = UnusedNumber.objects.get(first=n2019(10030))
    assert (entry.last, entry.organization, entry.registered_by) == (n2019(10032), p.k1, p.k1_user)


def test_register_form_errors_are_chinese_and_name_nobody(client, p):
    client = as_user(client, p.k1_user)
    url = reverse("admin:members_unusednumber_add")
    response = client.post(url, {"first": "201900010140", "status": "lost", "explanation": "x"})
    html = response.content.decode()
    assert "编号不在本组织号段内" in html and "乙市" not in html
    response = client.post(url, {"first": "201900010001", "status": "lost", "explanation": "x"})
    assert "已被团员使用" in response.content.decode()
    response = client.post(url, {"first": "201900010030", "status": "lost", "explanation": ""})
    assert response.context["adminform"].form.errors["explanation"]
    assert UnusedNumber.objects.count() == 3


def test_register_entry_changes_status_only(client, p):
    entry = UnusedNumber.objects.get(first=n2019(10050))
    client = as_user(client, p.c1_user)
    url = reverse("admin:members_unusednumber_change", args=[entry.pk])
    response = client.post(url, {"status": "voided", "explanation": "核实后作废"})
    assert response.status_code == HTTPStatus.FOUND
    entry.refresh_from_db()
    assert (entry.first, entry.status, entry.explanation) == (n2019(10050), "voided", "核实后作废")


def test_changelists_offer_imports_and_the_ledger(client, p):
    client = as_user(client, p.c1_user)
    for name in ("numberrange", "unusednumber"):
        response = client.get(reverse(f"admin:members_{name}_changelist"))
        html = response.content.decode()
        assert f"/admin/members/{name}/import/" in html
        assert reverse("members:ledger") in html and reverse("members:lookup") in html


def test_search_by_number(client, p):
    client = as_user(client, p.province_user)
    response = client.get(reverse("admin:members_numberrange_changelist"), {"q": "201900010015"})
    assert {r.organization.code for r in response.context["cl"].result_list} == {
        "P",
        "C1",
        "K1",
        "B1",
    }


def test_search_the_register_by_a_number_inside_a_span(client, p):
    client = as_user(client, p.province_user)
    url = reverse("admin:members_unusednumber_changelist")
    response = client.get(url, {"q": "201900010013"})
    assert [e.first for e in response.context["cl"].result_list] == [n2019(10011)]
    response = client.get(url, {"q": "丢失"})
    assert response.status_code == HTTPStatus.OK


def test_search_issued_numbers_by_number(client, p):
    IssuedNumberFactory(number_range=p.ranges["K1"], number=n2019(10026), organization=p.b2)
    IssuedNumberFactory(number_range=p.ranges["K1"], number=n2019(10027), organization=p.b2)
    client = as_user(client, p.k1_user)
    response = client.get(reverse("admin:members_issuednumber_changelist"), {"q": "201900010027"})
    assert [i.number for i in response.context["cl"].result_list] == [n2019(10027)]


def test_issued_numbers_are_listed_read_only(client, p):
    IssuedNumberFactory(number_range=p.ranges["K1"], number=n2019(10026), organization=p.b2)
    client = as_user(client, p.k1_user)
    response = client.get(reverse("admin:members_issuednumber_changelist"))
    assert response.status_code == HTTPStatus.OK
    assert "201900010026" in response.content.decode()
    issued = IssuedNumber.objects.get()
    url = reverse("admin:members_issuednumber_change", args=[issued.pk])
    response = client.post(url, {"number": "201900010027"})
    assert IssuedNumber.objects.get().number == n2019(10026)
    assert as_user(client, p.c2_user).get(url).status_code == HTTPStatus.NOT_FOUND


def test_issued_number_change_and_history_pages_open(client, p):
    """The read-only change page and a history version of an issued number answer 200 (they
    once passed the user to a form that takes none)."""
    issued = IssuedNumberFactory(
        number_range=p.ranges["K1"], number=n2019(10026), organization=p.b2
    )
    client = as_user(client, p.k1_user)
    change = reverse("admin:members_issuednumber_change", args=[issued.pk])
    response = client.get(change)
    assert response.status_code == HTTPStatus.OK
    assert "201900010026" in response.content.decode()
    record = issued.history.get()
    version = reverse(
        "admin:members_issuednumber_simple_history", args=[issued.pk, record.history_id]
    )
    assert client.get(version).status_code == HTTPStatus.OK


def test_no_bulk_actions_bypass_the_services(client, p):
    client = as_user(client, p.province_user)
    for name in ("numberrange", "unusednumber", "issuednumber"):
        response = client.get(reverse(f"admin:members_{name}_changelist"))
        assert response.context["action_form"] is None


def test_a_committee_reads_but_does_not_change_its_own_ranges(client, p):
    client = as_user(client, p.c1_user)
    url = reverse("admin:members_numberrange_change", args=[p.ranges["C1"].pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert not response.context["has_change_permission"]
    client.post(url, {"first": "201900010001", "last": "201900010099"})
    assert NumberRange.objects.get(pk=p.ranges["C1"].pk).last == n2019(10100)
    delete = reverse("admin:members_numberrange_delete", args=[p.ranges["C1"].pk])
    assert client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN

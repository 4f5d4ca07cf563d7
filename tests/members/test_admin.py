"""The member admin: what each role sees, enters and cannot reach."""

import io
from datetime import date, datetime, timedelta
from http import HTTPStatus

import openpyxl
import pytest
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse
from django.utils import timezone

from members.choices import Gender
from members.demo import fake_id_number
from members.models import Member
from members.tables import roster
from tests.factories import MemberFactory
from tests.members.conftest import entry_data, roster_row
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:members_member_changelist"
ADD = "admin:members_member_add"


def url(view, member=None):
    return reverse(f"admin:members_member_{view}", args=[member.pk] if member else None)


def logged_in(client, user):
    client.force_login(user)
    return client


# --- the add form --------------------------------------------------------------------------


def test_secretary_form_offers_only_their_branch_and_defaults_to_it(client, small_province):
    sp = small_province
    response = logged_in(client, sp.secretary).get(reverse(ADD))
    assert response.status_code == HTTPStatus.OK
    form = response.context["adminform"].form
    assert list(form.fields["branch"].queryset) == [sp.branch]
    assert list(form.fields["developing_organization"].queryset) == [sp.branch]
    assert form.initial["branch"] == sp.branch.pk
    assert form.initial["developing_organization"] == sp.branch.pk


def test_secretary_adds_a_member_to_their_branch(client, small_province):
    sp = small_province
    response = logged_in(client, sp.secretary).post(reverse(ADD), entry_data(sp.branch))
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    member = Member.objects.get()
    assert member.branch == sp.branch and member.development_number == 201900000001
    assert member.history.get().history_user == sp.secretary


@pytest.mark.parametrize("field", ["branch", "developing_organization"])
@pytest.mark.parametrize("target", ["other_branch", "foreign_branch", "county"])
def test_crafted_post_cannot_place_a_member_outside_the_scope(
    client, small_province, field, target
):
    """Another branch of the same county, another city's branch, or a committee: all refused."""
    sp = small_province
    data = entry_data(sp.branch, **{field: getattr(sp, target).pk})
    response = logged_in(client, sp.secretary).post(reverse(ADD), data)
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["adminform"].form.errors
    assert not Member.objects.exists()


def test_crafted_post_cannot_set_entered_at(client, small_province):
    sp = small_province
    data = entry_data(sp.branch, entered_at="2001-01-01 00:00:00", entered_late="on")
    logged_in(client, sp.secretary).post(reverse(ADD), data)
    member = Member.objects.get()
    assert abs(member.entered_at - timezone.now()) < timedelta(minutes=5)
    assert member.entered_late is True  # a 2019 member entered today is late


def test_form_errors_are_shown_next_to_the_field(client, small_province):
    sp = small_province
    bad = entry_data(sp.branch, id_number=entry_data(sp.branch)["id_number"][:17] + "0")
    response = logged_in(client, sp.secretary).post(reverse(ADD), bad)
    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert errors["id_number"] == ["公民身份号码的校验位不对，请检查是否输错了数字。"]
    assert "校验位" in response.content.decode()
    assert not Member.objects.exists()


def test_committees_read_but_do_not_enter(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch)
    c = logged_in(client, sp.county_user)
    assert c.get(reverse(ADD)).status_code == HTTPStatus.FORBIDDEN
    assert c.get(url("change", member)).status_code == HTTPStatus.OK
    response = c.post(url("change", member), entry_data(sp.branch, name="改名"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    member.refresh_from_db()
    assert member.name != "改名"


def test_province_picks_organisations_by_autocomplete(client, small_province):
    response = logged_in(client, small_province.province_user).get(reverse(ADD))
    widget = response.context["adminform"].form.fields["branch"].widget
    assert isinstance(getattr(widget, "widget", widget), AutocompleteSelect)


# --- object URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_branchs_member_answers_404(client, small_province, view):
    sp = small_province
    foreign = MemberFactory(branch=sp.other_branch, name="别人的团员")
    c = logged_in(client, sp.secretary)
    assert c.get(url(view, foreign)).status_code == HTTPStatus.NOT_FOUND
    response = c.post(url(view, foreign), {**entry_data(sp.branch), "post": "yes"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    foreign.refresh_from_db()
    assert foreign.name == "别人的团员" and foreign.branch == sp.other_branch


def test_missing_and_foreign_members_look_the_same(client, small_province):
    sp = small_province
    foreign = MemberFactory(branch=sp.foreign_branch)
    c = logged_in(client, sp.city_user)
    missing = reverse("admin:members_member_change", args=[999999])
    assert c.get(url("change", foreign)).status_code == c.get(missing).status_code == 404


def test_secretary_cannot_move_their_member_to_another_branch(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch)
    data = entry_data(sp.branch, branch=sp.other_branch.pk, id_number=member.id_number)
    response = logged_in(client, sp.secretary).post(url("change", member), data)
    assert response.status_code == HTTPStatus.OK
    assert "branch" in response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.branch == sp.branch


def test_secretary_edits_their_member_and_history_names_them(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch)
    data = entry_data(
        sp.branch,
        name="新名字",
        gender=member.gender,
        birth_date=member.birth_date.isoformat(),
        id_number=member.id_number,
        join_date=member.join_date.isoformat(),
        development_number=member.development_number_text,
    )
    response = logged_in(client, sp.secretary).post(url("change", member), data)
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    latest = member.history.first()
    assert latest.name == "新名字"
    assert latest.history_user == sp.secretary
    assert latest.history_type == "~"
    history = logged_in(client, sp.secretary).get(url("history", member))
    assert history.status_code == HTTPStatus.OK
    assert "sec" in history.content.decode()


# --- the list ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("province_user", {"B1", "B2", "F"}),
        ("city_user", {"B1", "B2"}),
        ("county_user", {"B1", "B2"}),
        ("secretary", {"B1"}),
        ("other_city_user", {"F"}),
    ],
)
def test_changelist_holds_exactly_the_scope(client, small_province, role, visible):
    sp = small_province
    MemberFactory(branch=sp.branch, name="B1")
    MemberFactory(branch=sp.other_branch, name="B2")
    MemberFactory(branch=sp.foreign_branch, name="F")
    response = logged_in(client, getattr(sp, role)).get(reverse(CHANGELIST))
    assert {m.name for m in response.context["cl"].result_list} == visible


def test_developer_keeps_seeing_a_member_who_moved_away(client, small_province):
    """The developing branch follows a moved member, read-only and with the ID masked."""
    sp = small_province
    moved = MemberFactory(branch=sp.foreign_branch, developing_organization=sp.branch)
    c = logged_in(client, sp.secretary)
    response = c.get(reverse(CHANGELIST))
    assert [m.pk for m in response.context["cl"].result_list] == [moved.pk]
    body = response.content.decode()
    assert moved.masked_id_number in body and moved.id_number not in body
    page = c.get(url("change", moved))
    assert page.status_code == HTTPStatus.OK
    assert moved.id_number not in page.content.decode()
    assert moved.masked_id_number in page.content.decode()
    assert c.post(url("change", moved), entry_data(sp.branch)).status_code == 403


def test_id_numbers_are_masked_for_readers_and_full_for_editors(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch)
    masked = member.id_number[:6] + "********" + member.id_number[-4:]
    assert member.masked_id_number == masked
    for user, shown, hidden in [
        (sp.secretary, member.id_number, None),
        (sp.province_user, member.id_number, None),
        (sp.county_user, masked, member.id_number),
        (sp.city_user, masked, member.id_number),
    ]:
        client.force_login(user)
        body = client.get(reverse(CHANGELIST)).content.decode()
        assert shown in body
        if hidden:
            assert hidden not in body
            detail = client.get(url("change", member)).content.decode()
            assert hidden not in detail and masked in detail
            assert client.get(url("history", member)).status_code == HTTPStatus.OK


def test_history_deltas_are_masked_for_readers(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch)
    member.phone = "0591-87517537"
    member.save()
    old_id = member.id_number
    body = logged_in(client, sp.county_user).get(url("history", member)).content.decode()
    assert old_id not in body
    version = member.history.last().history_id
    past = reverse("admin:members_member_simple_history", args=[member.pk, version])
    assert client.get(past).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize(
    ("term", "expected"),
    [("张晓", {"张晓明"}), ("zxm", {"张晓明"}), ("ZX", {"张晓明"}), ("李", {"李四"})],
)
def test_search_by_name_and_pinyin_initials(client, small_province, term, expected):
    MemberFactory(branch=small_province.branch, name="张晓明")
    MemberFactory(branch=small_province.branch, name="李四")
    response = logged_in(client, small_province.secretary).get(reverse(CHANGELIST), {"q": term})
    assert {m.name for m in response.context["cl"].result_list} == expected


def test_search_by_id_number_and_development_number(client, small_province):
    target = MemberFactory(branch=small_province.branch)
    MemberFactory(branch=small_province.branch)
    c = logged_in(client, small_province.secretary)
    for term in [target.id_number, target.id_number.lower(), target.development_number_text]:
        response = c.get(reverse(CHANGELIST), {"q": term})
        assert [m.pk for m in response.context["cl"].result_list] == [target.pk], term


def test_filters_by_join_year_identity_branch_and_entry(client, small_province):
    sp = small_province
    early = MemberFactory(branch=sp.branch, join_date=date(2016, 5, 1), development_number=None)
    on_time = MemberFactory(
        branch=sp.branch,
        join_date=date(2019, 5, 1),
        entered_at=timezone.make_aware(datetime(2019, 5, 20, 10)),
    )
    late = MemberFactory(
        branch=sp.other_branch,
        join_date=date(2019, 5, 1),
        identity="enterprise_employee",
        entered_at=timezone.make_aware(datetime(2019, 8, 1, 10)),
    )
    assert late.entered_late and not on_time.entered_late
    c = logged_in(client, sp.county_user)

    def listed(**params):
        response = c.get(reverse(CHANGELIST), params)
        return {m.pk for m in response.context["cl"].result_list}

    assert listed(joined="2019") == {on_time.pk, late.pk}
    assert listed(joined="earlier") == {early.pk}
    assert listed(identity="enterprise_employee") == {late.pk}
    assert listed(branch=sp.other_branch.code) == {late.pk}
    assert listed(entry="late") == {late.pk}
    assert listed(entry="on_time") == {on_time.pk}
    assert listed(entry="no_deadline") == {early.pk}
    assert listed(under=sp.branch.code) == {early.pk, on_time.pk}
    assert c.get(reverse(CHANGELIST), {"under": sp.foreign_branch.code}).status_code == 404


def test_branch_filter_lists_only_visible_branches(client, small_province):
    response = logged_in(client, small_province.county_user).get(reverse(CHANGELIST))
    body = response.content.decode()
    assert "甲县第一团支部" in body and "甲县第二团支部" in body
    assert "乙县第一团支部" not in body


@pytest.mark.parametrize("count", [3, 40])
def test_changelist_queries_do_not_grow_with_rows(
    client, small_province, count, django_assert_max_num_queries
):
    for _ in range(count):
        MemberFactory(branch=small_province.branch)
    c = logged_in(client, small_province.county_user)
    with django_assert_max_num_queries(12):
        response = c.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == count


def test_no_bulk_delete_action(client, small_province):
    """Bulk deletion would reach members a secretary only reads; it is not offered."""
    response = logged_in(client, small_province.secretary).get(reverse(CHANGELIST))
    assert "delete_selected" not in response.content.decode()


def test_secretary_deletes_their_member_with_history(client, small_province):
    sp = small_province
    member = MemberFactory(branch=sp.branch)
    response = logged_in(client, sp.secretary).post(url("delete", member), {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert not Member.objects.exists()
    assert Member.history.filter(history_type="-").get().history_user == sp.secretary


# --- import and export buttons -------------------------------------------------------------


def test_admin_import_runs_a_dry_run_then_imports_with_history(client, small_province, tmp_path):
    sp = small_province
    path = write_xlsx(
        tmp_path / "r.xlsx", roster.HEADER, [roster_row(sp.branch, 1), roster_row(sp.branch, 2)]
    )
    c = logged_in(client, sp.secretary)
    import_url = reverse("admin:members_member_table_import")
    assert import_url in c.get(reverse(CHANGELIST)).content.decode()
    with open(path, "rb") as handle:
        checked = c.post(import_url, {"file": handle})
    assert checked.status_code == HTTPStatus.OK
    assert checked.context["outcome"].ok and not Member.objects.exists()
    done = c.post(import_url, {"confirm": "1", "token": checked.context["token"]})
    assert done.status_code == HTTPStatus.FOUND
    assert Member.objects.count() == 2
    assert {h.history_user for h in Member.history.all()} == {sp.secretary}


def test_admin_import_refuses_rows_of_another_branch(client, small_province, tmp_path):
    sp = small_province
    path = write_xlsx(
        tmp_path / "r.xlsx",
        roster.HEADER,
        [roster_row(sp.branch, 1), roster_row(sp.other_branch, 2)],
    )
    with open(path, "rb") as handle:
        checked = logged_in(client, sp.secretary).post(
            reverse("admin:members_member_table_import"), {"file": handle}
        )
    outcome = checked.context["outcome"]
    assert not outcome.ok and [e.row for e in outcome.errors] == [4, 4]
    assert checked.context["token"] is None
    assert not Member.objects.exists()


def test_admin_export_gives_the_roster_of_the_scope(client, small_province):
    sp = small_province
    mine = MemberFactory(branch=sp.branch)
    MemberFactory(branch=sp.other_branch)
    c = logged_in(client, sp.secretary)
    export = reverse("admin:members_member_roster_export")
    assert export in c.get(reverse(CHANGELIST)).content.decode()
    response = c.get(export)
    assert response.status_code == HTTPStatus.OK
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[1]) == list(roster.HEADER)
    assert [row[5] for row in rows[2:]] == [mine.id_number]
    assert c.get(export, {"org": sp.county.code}).status_code == HTTPStatus.NOT_FOUND
    assert c.get(export, {"org": sp.foreign_branch.code}).status_code == HTTPStatus.NOT_FOUND


def test_province_autocomplete_offers_branches_only(client, small_province):
    c = logged_in(client, small_province.province_user)
    response = c.get(
        reverse("admin:autocomplete"),
        {"app_label": "members", "model_name": "member", "field_name": "branch", "term": "团"},
    )
    assert response.status_code == HTTPStatus.OK
    names = {result["text"] for result in response.json()["results"]}
    # Branch names repeat across the tree: the picker names each with its parent.
    assert names == {
        "甲县第一团支部 · 甲县团委",
        "甲县第二团支部 · 甲县团委",
        "乙县第一团支部 · 乙县团委",
    }


def test_export_button_follows_the_subtree_filter(client, small_province):
    sp = small_province
    MemberFactory(branch=sp.branch)
    response = logged_in(client, sp.county_user).get(reverse(CHANGELIST), {"under": "C1-K1-B1"})
    export = reverse("admin:members_member_roster_export") + "?org=C1-K1-B1"
    assert export in response.content.decode()
    assert client.get(export).status_code == HTTPStatus.OK


def test_add_form_offers_the_next_free_number_button(client, small_province):
    """The member form's development number comes with the next-free-number button."""
    client.force_login(small_province.secretary)
    body = client.get(reverse("admin:members_member_add")).content.decode()
    assert "取下一个可用编号" in body
    assert "members/development_number.js" in body


def test_admin_save_notes_a_county_code_not_in_use(client, small_province):
    """An abolished county code is accepted; the secretary is told, not refused."""
    sp = small_province
    number = fake_id_number(date(2001, 3, 15), Gender.MALE, region="412723", serial=3)
    response = logged_in(client, sp.secretary).post(
        reverse(ADD), entry_data(sp.branch, id_number=number), follow=True
    )
    assert Member.objects.filter(id_number=number, document_type="resident_id").exists()
    assert "地区代码412723不在现行区划表中" in response.content.decode()


def test_admin_save_reports_invisible_characters_removed(client, small_province):
    """A pasted zero-width space is removed, not counted, and the secretary is told."""
    sp = small_province
    number = fake_id_number(date(2001, 3, 15), Gender.MALE, region="350102", serial=4)
    response = logged_in(client, sp.secretary).post(
        reverse(ADD),
        entry_data(sp.branch, id_number=f"{number[:6]}\u200b{number[6:]}"),
        follow=True,
    )
    assert Member.objects.filter(id_number=number).exists()
    assert "已去除公民身份号码中的不可见字符" in response.content.decode()

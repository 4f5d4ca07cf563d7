"""Graduates (学社衔接): graduation dates in bulk, the graduating classes, and bulk moves of a
class from a form or a spreadsheet, all or nothing."""

from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.models import Organization, Role
from members.models import Member, Move
from members.moves import services as moves
from members.moves.importing import COLUMNS, MOVE_IMPORT, class_import
from tests import factories
from tests.xlsx import read_xlsx, write_xlsx

pytestmark = pytest.mark.django_db

Kind = Organization.Kind


@dataclass
class School:
    committee_user: object
    school: Organization
    graduating: Organization
    undated: Organization
    teachers: Organization
    later: Organization
    students: list
    job: Organization


@pytest.fixture
def school(small_province):
    p = small_province
    today = timezone.localdate()
    school = factories.committee(
        p.county, kind=Kind.GRASSROOTS, code="S1", name="甲县一中团委", sector="school"
    )
    graduating = factories.class_branch(
        school, code="S1-C1", name="高三1班团支部", graduation_date=today + timedelta(days=30)
    )
    undated = factories.class_branch(school, code="S1-C2", name="高三2班团支部")
    teachers = factories.class_branch(school, code="S1-T", name="教职工团支部")
    later = factories.class_branch(
        school, code="S1-C3", name="高一1班团支部", graduation_date=today + timedelta(days=700)
    )
    students = [
        factories.MemberFactory(branch=graduating, name=name) for name in ("王一", "李二", "张三")
    ]
    factories.MemberFactory(branch=later)
    return School(
        committee_user=p.county_user,
        school=school,
        graduating=graduating,
        undated=undated,
        teachers=teachers,
        later=later,
        students=students,
        job=p.foreign_branch,
    )


def as_user(client, user):
    client.force_login(user)
    return client


# --- graduation dates, many at once -------------------------------------------------------------


def graduation_post(branches, values, fill=""):
    data = {
        "rows-TOTAL_FORMS": str(len(branches)),
        "rows-INITIAL_FORMS": str(len(branches)),
        "fill_date": fill,
    }
    for index, branch in enumerate(branches):
        day, reason = values.get(branch.code, (branch.graduation_date, branch.no_graduation_reason))
        data[f"rows-{index}-branch"] = str(branch.pk)
        data[f"rows-{index}-graduation_date"] = day.isoformat() if day else ""
        data[f"rows-{index}-no_graduation_reason"] = reason or ""
    return data


def test_graduation_dates_for_many_class_branches_at_once(client, school):
    c = as_user(client, school.committee_user)
    url = reverse("moves:graduation") + "?org=S1"
    page = c.get(url)
    assert page.status_code == HTTPStatus.OK
    branches = [branch for branch, _form in page.context["rows"]]
    assert [b.code for b in branches] == ["S1-C1", "S1-C2", "S1-T", "S1-C3"]
    fill = timezone.localdate() + timedelta(days=200)
    response = c.post(
        url, graduation_post(branches, {"S1-T": (None, "teachers")}, fill.isoformat())
    )
    assert response.status_code == HTTPStatus.FOUND
    values = dict(
        Organization.objects.filter(code__startswith="S1-").values_list("code", "graduation_date")
    )
    assert values["S1-C2"] == fill
    assert values["S1-T"] is None
    assert values["S1-C1"] == school.graduating.graduation_date  # a filled date is kept
    assert Organization.objects.get(code="S1-T").no_graduation_reason == "teachers"
    assert Organization.objects.get(code="S1-C2").history.count() == 2


def test_graduation_dates_reject_a_date_and_a_reason_together(client, school):
    c = as_user(client, school.committee_user)
    url = reverse("moves:graduation") + "?org=S1"
    branches = [school.graduating, school.undated, school.teachers, school.later]
    day = timezone.localdate()
    response = c.post(
        url, graduation_post(branches, {"S1-C2": (day, "mixed"), "S1-T": (None, "teachers")})
    )
    assert response.status_code == HTTPStatus.OK
    assert Organization.objects.get(code="S1-T").no_graduation_reason == ""


def test_graduation_dates_out_of_scope_and_wrong_role(client, school, small_province):
    foreign = factories.class_branch(Organization.objects.get(code="C2-K1"), code="F-C1")
    c = as_user(client, school.committee_user)
    data = graduation_post([foreign], {"F-C1": (timezone.localdate(), "")})
    assert c.post(reverse("moves:graduation"), data).status_code == HTTPStatus.NOT_FOUND
    assert Organization.objects.get(code="F-C1").graduation_date is None
    assert c.get(reverse("moves:graduation"), {"org": "C2"}).status_code == HTTPStatus.NOT_FOUND
    secretary = as_user(client, small_province.secretary)
    assert secretary.get(reverse("moves:graduation")).status_code == HTTPStatus.FORBIDDEN


def test_graduation_page_query_count_is_bounded(client, school, django_assert_max_num_queries):
    for index in range(20):
        factories.class_branch(school.school, code=f"S1-X{index}")
    c = as_user(client, school.committee_user)
    with django_assert_max_num_queries(10):
        page = c.get(reverse("moves:graduation"), {"org": "S1"})
    assert len(page.context["rows"]) == 24


def test_admin_action_opens_the_page_with_the_chosen_class_branches(client, school):
    c = as_user(client, school.committee_user)
    response = c.post(
        reverse("admin:branches_organization_changelist"),
        {
            "action": "set_graduation_dates",
            "_selected_action": [school.undated.pk, school.teachers.pk, school.school.pk],
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    page = c.get(response.url)
    assert [b.code for b, _form in page.context["rows"]] == ["S1-C2", "S1-T"]


def test_admin_action_is_offered_only_to_those_who_set_graduation(client, school, small_province):
    url = reverse("admin:branches_organization_changelist")
    committee = as_user(client, school.committee_user).get(url)
    assert "set_graduation_dates" in committee.content.decode()
    secretary = as_user(client, small_province.secretary).get(url)
    assert "set_graduation_dates" not in secretary.content.decode()


# --- the graduating classes ---------------------------------------------------------------------


def test_graduating_classes_list_members_to_transfer(client, school):
    moves.move_create(
        member=school.students[0],
        reason=Move.Reason.FURTHER_STUDY,
        moved_on=school.graduating.graduation_date,
        destination_organization=school.job,
    )
    page = as_user(client, school.committee_user).get(reverse("moves:graduates"), {"org": "S1"})
    assert page.status_code == HTTPStatus.OK
    assert page.context["graduated"] == []
    past = timezone.localdate() - timedelta(days=400)
    left_behind = factories.class_branch(school.school, code="S1-P1", graduation_date=past)
    factories.MemberFactory(branch=left_behind)
    factories.class_branch(school.school, code="S1-P2", graduation_date=past)  # emptied
    page = as_user(client, school.committee_user).get(reverse("moves:graduates"), {"org": "S1"})
    assert page.context["graduated"] == [left_behind]
    assert page.context["graduated"][0].to_transfer == 1
    (graduating,) = page.context["upcoming"]
    assert graduating == school.graduating
    assert (graduating.member_count, graduating.moving_count, graduating.to_transfer) == (3, 1, 2)


def test_graduating_classes_query_count_is_bounded(client, school):
    day = school.graduating.graduation_date
    c = as_user(client, school.committee_user)

    def queries_with(extra):
        for index in range(extra):
            branch = factories.class_branch(
                school.school, code=f"S1-G{extra}-{index}", graduation_date=day
            )
            factories.MemberFactory(branch=branch)
        with CaptureQueriesContext(connection) as queries:
            page = c.get(reverse("moves:graduates"), {"org": "S1"})
        return len(queries.captured_queries), len(page.context["upcoming"])

    (few, shown_few), (many, shown_many) = queries_with(1), queries_with(10)
    assert (shown_few, shown_many) == (2, 12)
    assert few == many


def test_class_page_out_of_scope_answers_404(client, school, small_province):
    url = reverse("moves:class", args=[school.graduating.code])
    assert as_user(client, small_province.other_city_user).get(url).status_code == 404
    assert (
        as_user(client, school.committee_user)
        .get(reverse("moves:class", args=[school.school.code]))
        .status_code
        == 404
    )


# --- bulk moves from the form -------------------------------------------------------------------


def class_form_post(page, rows):
    """POST data for the class form: ``rows`` maps a member's name to its fields (ticked)."""
    formset = page.context["formset"]
    data = {
        "action": "form",
        "grads-TOTAL_FORMS": str(formset.total_form_count()),
        "grads-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for index, (member, form) in enumerate(page.context["rows"]):
        prefix = f"grads-{index}-"
        data[prefix + "member"] = str(member.pk)
        data[prefix + "reason"] = form.initial["reason"]
        data[prefix + "moved_on"] = form.initial["moved_on"].isoformat()
        if member.name in rows:
            data[prefix + "include"] = "on"
            data.update({prefix + key: value for key, value in rows[member.name].items()})
    return data


def test_bulk_moves_from_the_form(client, school):
    c = as_user(client, school.committee_user)
    url = reverse("moves:class", args=[school.graduating.code])
    page = c.get(url)
    assert len(page.context["rows"]) == 3
    data = class_form_post(
        page,
        {
            "王一": {"destination_code": school.job.code},
            "李二": {
                "destination_county_code": "350128",
                "destination_township": "潭城镇",
                "reason": Move.Reason.AWAITING_EMPLOYMENT,
            },
        },
    )
    response = c.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    recorded = {m.member.name: m for m in Move.objects.select_related("member")}
    assert set(recorded) == {"王一", "李二"}
    assert recorded["王一"].moved_on == school.graduating.graduation_date
    assert recorded["李二"].destination_kind == Move.DestinationKind.TOWNSHIP
    assert recorded["王一"].created_by == school.committee_user
    again = c.get(url)
    assert [m.name for m, _form in again.context["rows"]] == ["张三"]


def test_bulk_moves_from_the_form_a_bad_row_rejects_all(client, school):
    c = as_user(client, school.committee_user)
    url = reverse("moves:class", args=[school.graduating.code])
    page = c.get(url)
    bad_code = class_form_post(
        page,
        {
            "王一": {"destination_code": school.job.code},
            "李二": {"destination_county_code": "350100", "destination_township": "某街道"},
        },
    )
    response = c.post(url, bad_code)
    assert response.status_code == HTTPStatus.OK
    errors = {m.name: form.errors for m, form in response.context["rows"]}
    assert "destination_county_code" in errors["李二"]
    assert not errors["王一"]
    assert not Move.objects.exists()
    no_destination = class_form_post(
        page, {"王一": {"destination_code": school.job.code}, "张三": {}}
    )
    response = c.post(url, no_destination)
    assert response.status_code == HTTPStatus.OK
    errors = {m.name: form.errors for m, form in response.context["rows"]}
    assert errors["张三"] and not errors["王一"]
    assert not Move.objects.exists()


def test_bulk_moves_service_rolls_back_on_a_bad_entry(school):
    entries = [
        {
            "member": school.students[0],
            "reason": Move.Reason.EMPLOYMENT,
            "moved_on": timezone.localdate(),
            "destination_organization": school.job,
        },
        {
            "member": school.students[1],
            "reason": Move.Reason.EMPLOYMENT,
            "moved_on": timezone.localdate(),
        },
    ]
    with pytest.raises(moves.MoveBatchError) as info:
        moves.moves_create_bulk(entries=entries, user=school.committee_user)
    assert list(info.value.by_entry) == [1]
    assert not Move.objects.exists()


# --- bulk moves from a spreadsheet --------------------------------------------------------------


def sheet(tmp_path, rows, name="moves.xlsx"):
    return write_xlsx(tmp_path / name, COLUMNS, rows, title="毕业生去向表")


def row(
    serial, member, *, code="", county="", township="", other="", reason="就业", day="", number=""
):
    number = number or member.id_number
    return [serial, member.name, number, reason, day, code, county, township, other, ""]


def test_spreadsheet_import_all_or_nothing_with_excel_row_numbers(tmp_path, school):
    s = school.students
    bad = sheet(
        tmp_path,
        [
            row(1, s[0], code=school.job.code),
            row(2, s[1], county="350199", township="某镇"),
            row(3, s[2], reason="旅游", other="广东省"),
        ],
    )
    outcome = class_import(school.graduating).run(bad, user=school.committee_user)
    assert not outcome.ok
    assert sorted({e.row for e in outcome.errors}) == [4, 5]  # row 3 is the first data row
    messages = " ".join(str(e) for e in outcome.errors)
    assert "去向县级行政区划代码" in messages and "流动原因" in messages
    assert not Move.objects.exists()

    good = sheet(
        tmp_path,
        [
            row(1, s[0], code=school.job.code),
            row(2, s[1], county="350128", township="潭城镇", reason="升学"),
            row(3, s[2], other="广东省深圳市团委", reason="出国（境）", day="2030-07-01"),
        ],
        name="good.xlsx",
    )
    dry = class_import(school.graduating).run(good, user=school.committee_user, dry_run=True)
    assert dry.ok and dry.created == 3
    assert not Move.objects.exists()
    done = class_import(school.graduating).run(good, user=school.committee_user)
    assert done.written
    recorded = {m.member.name: m for m in Move.objects.select_related("member")}
    assert recorded["李二"].reason == Move.Reason.FURTHER_STUDY
    assert recorded["王一"].moved_on == school.graduating.graduation_date
    assert str(recorded["张三"].moved_on) == "2030-07-01"
    assert recorded["张三"].reason == Move.Reason.ABROAD


def test_spreadsheet_import_checks_member_name_class_and_duplicates(tmp_path, school):
    s = school.students
    stranger = Member.objects.get(branch=school.later)
    wrong_name = row(2, s[1], code=school.job.code)
    wrong_name[1] = "李四"
    path = sheet(
        tmp_path,
        [
            row(1, s[0], code=school.job.code),
            wrong_name,
            row(3, stranger, code=school.job.code),
            row(4, s[0], other="广东省"),
            row(5, s[2], code="NOPE"),
        ],
    )
    outcome = class_import(school.graduating).run(path, user=school.committee_user)
    assert sorted({e.row for e in outcome.errors}) == [4, 5, 6, 7]
    by_row = {e.row: e.message for e in outcome.errors}
    assert by_row[4].startswith("姓名：")
    assert "本班" in by_row[5]
    assert "尚未报到或结束" in by_row[6]
    assert by_row[7].startswith("去向团组织代码：")
    # The admin's import (no class) finds the stranger, who is in the user's scope.
    anywhere = MOVE_IMPORT.run(
        sheet(tmp_path, [row(1, stranger, code=school.job.code)], name="one.xlsx"),
        user=school.committee_user,
    )
    assert anywhere.written
    outsider = factories.user_with_role(
        Organization.objects.get(code="C2"), Role.COMMITTEE, username="c2x"
    )
    refused = MOVE_IMPORT.run(
        sheet(tmp_path, [row(1, s[0], code=school.job.code)], name="two.xlsx"), user=outsider
    )
    assert not refused.ok


def test_spreadsheet_on_the_class_page_dry_run_then_confirm(client, tmp_path, school):
    """The committee's template masks ID numbers as the class page does; filled in, the masked
    numbers with the names still name the class's members."""
    c = as_user(client, school.committee_user)
    url = reverse("moves:class", args=[school.graduating.code])
    template = c.get(reverse("moves:class_template", args=[school.graduating.code]))
    assert template.status_code == HTTPStatus.OK
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(template.streaming_content))
    rows = read_xlsx(path)
    assert rows[1] == list(COLUMNS)
    assert sorted(r[2] for r in rows[2:]) == sorted(m.masked_id_number for m in school.students)
    filled = sheet(
        tmp_path,
        [
            row(i, m, code=school.job.code, number=m.masked_id_number)
            for i, m in enumerate(school.students, start=1)
        ],
        name="filled.xlsx",
    )
    with filled.open("rb") as handle:
        checked = c.post(url, {"action": "upload", "file": handle})
    assert checked.context["outcome"].ok
    token = checked.context["token"]
    assert token and not Move.objects.exists()
    done = c.post(url, {"action": "confirm", "token": token})
    assert done.status_code == HTTPStatus.FOUND
    assert Move.objects.count() == 3
    expired = c.post(url, {"action": "confirm", "token": token})
    assert expired.status_code == HTTPStatus.FOUND
    assert Move.objects.count() == 3


def test_spreadsheet_on_the_class_page_with_a_bad_row_offers_nothing(client, tmp_path, school):
    c = as_user(client, school.committee_user)
    url = reverse("moves:class", args=[school.graduating.code])
    s = school.students
    path = sheet(tmp_path, [row(1, s[0], code=school.job.code), row(2, s[1], county="12")])
    with path.open("rb") as handle:
        checked = c.post(url, {"action": "upload", "file": handle})
    assert not checked.context["outcome"].ok
    assert checked.context["token"] is None
    assert {e.row for e in checked.context["outcome"].errors} == {4}
    assert not Move.objects.exists()


def test_import_moves_command_is_all_or_nothing(tmp_path, school):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    s = school.students
    bad = sheet(tmp_path, [row(1, s[0], code=school.job.code), row(2, s[1], reason="旅游")])
    with pytest.raises(CommandError) as failure:
        call_command("import_moves", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
    assert failure.value.returncode == 1
    assert not Move.objects.exists()
    good = sheet(tmp_path, [row(1, s[0], code=school.job.code)], name="good.xlsx")
    call_command("import_moves", str(good), stdout=io.StringIO())
    assert Move.objects.count() == 1


# --- imported moves count in the move figures ---------------------------------------------------


def _move_figures(organization):
    from reports.metrics import figures_for

    values = figures_for(organization)
    return values["moved_pending"], values["moved_reported"]


def _confirm_one_and_check(school, small_province):
    """Three imported moves are pending where the members were developed; one confirmed by the
    receiving side is reported."""
    p = small_province
    assert Move.objects.count() == 3
    assert set(Move.objects.values_list("developing_organization", flat=True)) == {
        school.graduating.pk
    }
    for organization in (p.province, p.city, p.county, school.school, school.graduating):
        assert _move_figures(organization) == (3, 0)
    assert _move_figures(p.other_city) == (0, 0)
    first = Move.objects.order_by("pk").first()
    moves.move_confirm_report(move=first, user=p.other_city_user)
    for organization in (p.province, p.city, p.county, school.graduating):
        assert _move_figures(organization) == (2, 1)


def _graduates_sheet(tmp_path, school, name="moves.xlsx"):
    return sheet(
        tmp_path,
        [row(i, m, code=school.job.code) for i, m in enumerate(school.students, start=1)],
        name=name,
    )


def test_moves_imported_by_the_command_count_in_the_figures(tmp_path, school, small_province):
    import io

    from django.core.management import call_command

    assert _move_figures(small_province.county) == (0, 0)
    call_command("import_moves", str(_graduates_sheet(tmp_path, school)), stdout=io.StringIO())
    _confirm_one_and_check(school, small_province)


def test_moves_imported_on_the_class_page_count_in_the_figures(
    client, tmp_path, school, small_province
):
    c = as_user(client, school.committee_user)
    url = reverse("moves:class", args=[school.graduating.code])
    with _graduates_sheet(tmp_path, school).open("rb") as handle:
        checked = c.post(url, {"action": "upload", "file": handle})
    c.post(url, {"action": "confirm", "token": checked.context["token"]})
    _confirm_one_and_check(school, small_province)


def test_moves_imported_from_the_moves_list_count_in_the_figures(
    client, tmp_path, school, small_province
):
    c = as_user(client, school.committee_user)
    url = reverse("admin:members_move_table_import")
    with _graduates_sheet(tmp_path, school).open("rb") as handle:
        checked = c.post(url, {"file": handle})
    assert checked.context["outcome"].ok
    done = c.post(url, {"confirm": "1", "token": checked.context["token"]})
    assert done.status_code == HTTPStatus.FOUND
    _confirm_one_and_check(school, small_province)

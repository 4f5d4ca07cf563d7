"""Registration years (团籍注册 and 教育评议): results, the branch's submission, certification,
the figures and the pages."""

import json
from datetime import timedelta
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from members.models import MemberStatus
from reports.compliance import compliance_rows
from reports.metrics import children_and_total, figures_for_children
from reports.models import (
    BranchRegistration,
    BranchRegistrationStatus,
    Campaign,
    CampaignForward,
    CampaignKind,
    EvaluationGrade,
    MemberRegistration,
    RegistrationResult,
    SnapshotFigure,
)
from reports.ranking import draft_notice, ranking
from reports.registration import services
from reports.snapshots import snapshot_take
from tests import factories
from tests.test_export_paths import read_xlsx_bytes, xlsx_upload

pytestmark = pytest.mark.django_db

R = RegistrationResult
G = EvaluationGrade


@pytest.fixture
def year(scripted_province):
    return Campaign.objects.create(
        slug="reg-2024",
        name="2024年度团籍注册",
        kind=CampaignKind.REGISTRATION,
        year=2024,
        deadline=timezone.localdate() + timedelta(days=10),
        metric="registration_ratio",
        threshold="0.9",
    )


@pytest.fixture
def users(scripted_province):
    p = scripted_province
    return {
        "province": factories.user_with_role(p.root, Role.PROVINCE, username="prov"),
        "c1": factories.user_with_role(p.c1, Role.COMMITTEE, username="c1"),
        "c2": factories.user_with_role(p.c2, Role.COMMITTEE, username="c2"),
        "k1": factories.user_with_role(p.k1, Role.COMMITTEE, username="k1"),
        "sec": factories.user_with_role(p.b1, Role.SECRETARY, username="sec"),
        "sec2": factories.user_with_role(p.b2, Role.SECRETARY, username="sec2"),
    }


def members_of(branch):
    return list(services.members_to_register(branch))


def everyone(branch, overrides=None):
    """An entry per active member of ``branch``: 注册/合格 unless ``overrides`` (by index)."""
    entries = []
    for index, member in enumerate(members_of(branch)):
        entry = {"member": member, "result": R.REGISTERED, "reason": "", "grade": G.QUALIFIED}
        entry.update((overrides or {}).get(index, {}))
        entries.append(entry)
    return entries


# --- the model --------------------------------------------------------------------------------


def test_member_registration_needs_a_reason_to_defer_or_refuse(scripted_province, year):
    member = members_of(scripted_province.b1)[0]
    record = MemberRegistration(
        campaign=year, member=member, branch=scripted_province.b1, result=R.DEFERRED
    )
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    assert "reason" in caught.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()
    record.reason = "长期未参加组织生活"
    record.full_clean()
    record.save()
    assert MemberRegistration.objects.get().reason == "长期未参加组织生活"


def test_a_registered_member_keeps_no_reason(scripted_province, year):
    member = members_of(scripted_province.b1)[0]
    record = MemberRegistration(
        campaign=year, member=member, branch=scripted_province.b1, reason="多余"
    )
    record.full_clean()
    assert record.reason == ""


# --- recording results ------------------------------------------------------------------------


def test_registrations_save_records_everyone_at_once(scripted_province, year, users):
    b1 = scripted_province.b1
    entries = everyone(
        b1,
        {
            0: {"grade": G.EXCELLENT},
            1: {"result": R.DEFERRED, "reason": "半年未交团费", "grade": G.BASIC},
        },
    )
    assert services.registrations_save(
        campaign=year, branch=b1, user=users["sec"], entries=entries
    ) == len(entries)
    records = services.records_of(year, b1)
    assert len(records) == 4
    assert sorted(r.result for r in records.values()) == [R.DEFERRED] + [R.REGISTERED] * 3
    # Saving again changes the rows in place.
    entries[1] = {**entries[1], "result": R.REGISTERED, "reason": "", "grade": G.QUALIFIED}
    services.registrations_save(campaign=year, branch=b1, user=users["sec"], entries=entries)
    assert MemberRegistration.objects.filter(result=R.DEFERRED).count() == 0
    assert MemberRegistration.objects.count() == 4


def test_registrations_save_is_all_or_nothing_and_names_the_member(scripted_province, year, users):
    b1 = scripted_province.b1
    entries = everyone(b1, {2: {"result": R.REFUSED, "reason": "  "}})
    named = members_of(b1)[2]
    with pytest.raises(services.RegistrationBatchError) as caught:
        services.registrations_save(campaign=year, branch=b1, user=users["sec"], entries=entries)
    assert list(caught.value.by_entry) == [2]
    assert named.name in caught.value.messages[0]
    assert "原因" in caught.value.messages[0]
    assert not MemberRegistration.objects.exists()


def test_registrations_save_refuses_members_of_another_branch_or_inactive(
    scripted_province, year, users
):
    p = scripted_province
    stranger = members_of(p.b2)[0]
    entries = everyone(p.b1) + [
        {"member": stranger, "result": R.REGISTERED, "reason": "", "grade": G.QUALIFIED}
    ]
    with pytest.raises(services.RegistrationBatchError) as caught:
        services.registrations_save(campaign=year, branch=p.b1, user=users["sec"], entries=entries)
    assert stranger.name in caught.value.messages[0]
    left = members_of(p.b1)[0]
    left.status = MemberStatus.WITHDRAWN
    left.save()
    assert len(members_of(p.b1)) == 3
    with pytest.raises(services.RegistrationBatchError):
        services.registrations_save(
            campaign=year,
            branch=p.b1,
            user=users["sec"],
            entries=[{"member": left, "result": R.REGISTERED, "reason": "", "grade": G.QUALIFIED}],
        )


def test_only_the_branch_and_committees_above_record(scripted_province, year, users):
    p = scripted_province
    with pytest.raises(PermissionDenied):
        services.registrations_save(
            campaign=year, branch=p.b1, user=users["sec2"], entries=everyone(p.b1)
        )
    with pytest.raises(PermissionDenied):
        services.registrations_save(
            campaign=year, branch=p.b1, user=users["c2"], entries=everyone(p.b1)
        )
    # The county committee above records for a branch without a secretary of its own.
    services.registrations_save(
        campaign=year, branch=p.b2, user=users["k1"], entries=everyone(p.b2)
    )
    assert MemberRegistration.objects.filter(branch=p.b2).count() == 1


def test_a_general_campaign_takes_no_registration(scripted_province, users):
    general = Campaign.objects.create(
        slug="entry", name="录入", year=2024, deadline=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        services.registrations_save(
            campaign=general,
            branch=scripted_province.b1,
            user=users["sec"],
            entries=everyone(scripted_province.b1),
        )


# --- submission and certification -------------------------------------------------------------


def test_submit_certify_return_and_resubmit(scripted_province, year, users):
    p = scripted_province
    with pytest.raises(ValidationError) as missing:
        services.branch_registration_submit(campaign=year, branch=p.b1, user=users["sec"])
    assert "4" in missing.value.messages[0]
    services.registrations_save(
        campaign=year, branch=p.b1, user=users["sec"], entries=everyone(p.b1)
    )
    submitted = services.branch_registration_submit(campaign=year, branch=p.b1, user=users["sec"])
    assert submitted.status == BranchRegistrationStatus.SUBMITTED and not submitted.late
    # Locked until returned: neither results nor a second submission.
    with pytest.raises(ValidationError):
        services.registrations_save(
            campaign=year, branch=p.b1, user=users["sec"], entries=everyone(p.b1)
        )
    with pytest.raises(ValidationError):
        services.branch_registration_submit(campaign=year, branch=p.b1, user=users["sec"])
    # The branch itself and a committee of another city cannot decide.
    for who in ("sec", "c2"):
        with pytest.raises(PermissionDenied):
            services.branch_registration_certify(registration=submitted, user=users[who])
    with pytest.raises(ValidationError):
        services.branch_registration_return(registration=submitted, user=users["k1"], reason=" ")
    returned = services.branch_registration_return(
        registration=submitted, user=users["k1"], reason="评议等次缺少支部大会记录"
    )
    assert returned.status == BranchRegistrationStatus.RETURNED
    services.registrations_save(
        campaign=year,
        branch=p.b1,
        user=users["sec"],
        entries=everyone(p.b1, {0: {"grade": G.EXCELLENT}}),
    )
    again = services.branch_registration_submit(campaign=year, branch=p.b1, user=users["sec"])
    assert again.pk == submitted.pk and again.return_reason == ""
    certified = services.branch_registration_certify(registration=again, user=users["c1"])
    assert certified.status == BranchRegistrationStatus.CERTIFIED
    assert certified.history.count() == 4  # submitted, returned, submitted, certified
    with pytest.raises(ValidationError):
        services.branch_registration_return(registration=certified, user=users["k1"], reason="x")


def test_late_against_the_internal_deadline_of_a_forward(scripted_province, year, users):
    p = scripted_province
    CampaignForward.objects.create(
        campaign=year,
        organization=p.k1,
        internal_deadline=timezone.localdate() - timedelta(days=1),
    )
    services.registrations_save(
        campaign=year, branch=p.b1, user=users["sec"], entries=everyone(p.b1)
    )
    submitted = services.branch_registration_submit(campaign=year, branch=p.b1, user=users["sec"])
    assert submitted.late
    assert submitted.deadline == timezone.localdate() - timedelta(days=1)


# --- figures ----------------------------------------------------------------------------------


@pytest.fixture
def registered(scripted_province, year, users):
    """B1 certified (one deferred, one excellent), B2 returned, CB1 awaiting, B3 not started."""
    p = scripted_province
    services.registrations_save(
        campaign=year,
        branch=p.b1,
        user=users["sec"],
        entries=everyone(
            p.b1,
            {
                0: {"grade": G.EXCELLENT},
                1: {"result": R.DEFERRED, "reason": "半年未交团费", "grade": G.UNQUALIFIED},
            },
        ),
    )
    b1 = services.branch_registration_submit(campaign=year, branch=p.b1, user=users["sec"])
    services.branch_registration_certify(registration=b1, user=users["k1"])
    services.registrations_save(
        campaign=year, branch=p.b2, user=users["sec2"], entries=everyone(p.b2)
    )
    b2 = services.branch_registration_submit(campaign=year, branch=p.b2, user=users["sec2"])
    services.branch_registration_return(registration=b2, user=users["k1"], reason="请补充")
    services.registrations_save(
        campaign=year,
        branch=p.cb1,
        user=users["c1"],
        entries=everyone(p.cb1, {0: {"result": R.REFUSED, "reason": "违纪", "grade": G.BASIC}}),
    )
    services.branch_registration_submit(campaign=year, branch=p.cb1, user=users["c1"])
    return p


def test_figures_known_answers_per_level(registered, year):
    p = registered
    children = {child.code: values for child, values in figures_for_children(p.root, year)}
    c1, c2 = children["C1"], children["C2"]
    assert c1["registration_members"] == 7
    assert c1["registration_recorded"] == 7
    assert c1["registration_registered"] == 5
    assert (c1["registration_deferred"], c1["registration_refused"]) == (1, 1)
    assert c1["registration_ratio"] == round(5 / 7, 4)
    assert (
        c1["evaluation_excellent"],
        c1["evaluation_qualified"],
        c1["evaluation_basic"],
        c1["evaluation_unqualified"],
    ) == (1, 4, 1, 1)
    # B1, B2 and CB1 hold active members; CB2 and CB3 none.
    assert c1["registration_branches"] == 3
    assert c1["registration_branches_certified"] == 1
    assert c1["registration_branches_awaiting"] == 1
    assert c1["registration_branches_returned"] == 1
    assert c1["registration_branches_not_done"] == 1
    assert c2["registration_members"] == 1 and c2["registration_ratio"] == 0
    assert c2["registration_branches_not_done"] == 1
    assert children["C3"]["registration_ratio"] is None
    # One level down, and the total adds up the children.
    below = {c.code: v for c, v in figures_for_children(p.c1, year)}
    assert below["K1"]["registration_registered"] == 4  # B1 three, B2 one (returned)
    assert below["S1"]["registration_refused"] == 1
    _rows, total = children_and_total(p.root, year)
    assert total["registration_members"] == 8
    assert total["registration_branches_not_done"] == 2
    assert total["registration_branches"] == 4  # B1, B2, CB1, B3
    assert total["registration_certified_ratio"] == 0.25


def test_figures_only_for_a_registration_year(registered):
    general = Campaign.objects.create(
        slug="entry", name="录入", year=2024, deadline=timezone.localdate()
    )
    (row, *_rest) = compliance_rows(registered.root, general)
    assert "registration_ratio" not in row
    assert "registration_ratio" not in compliance_rows(registered.root)[0]


def test_compliance_json_of_a_registration_year(registered, year):
    out = StringIO()
    call_command("compliance", "--json", "--campaign", year.slug, stdout=out)
    rows = {row["code"]: row for row in json.loads(out.getvalue())}
    assert rows["C1"]["registration_registered"] == 5
    assert rows["C2"]["registration_branches_not_done"] == 1
    assert rows["C2"]["named"] is True  # 0% registered, below 90%


def test_ranking_and_snapshot_carry_the_registration_ratio(registered, year):
    entries = ranking(year, registered.root)
    # Worst first; C3 has no members to register and comes last.
    assert [e.organization.code for e in entries] == ["C2", "C1", "C3"]
    assert entries[1].value == round(5 / 7, 4)
    assert [e.named for e in entries] == [True, True, False]
    text = draft_notice(year, entries, as_of=timezone.localdate())
    assert "乙市" in text and "甲市" in text and "90%" in text
    snapshot = snapshot_take(campaign=year)
    frozen = SnapshotFigure.objects.get(snapshot=snapshot, organization=registered.c1).figures
    assert frozen["registration_registered"] == 5
    assert frozen["registration_branches_certified"] == 1


def test_figures_cost_the_same_queries_as_the_tree_grows(
    registered, year, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        children_and_total(registered.root, year)
    for index in range(3):
        branch = factories.branch(registered.k1, code=f"BX{index}", name=f"新支部{index}")
        factories.MemberFactory(branch=branch)
    with django_assert_num_queries(len(before.captured_queries)):
        children_and_total(registered.root, year)


# --- pages ------------------------------------------------------------------------------------


def form_data(client, url):
    """The bulk form's fields as the page renders them (the defaults), ready to post."""
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    formset = response.context["formset"]
    data = {
        "action": "save",
        "campaign": response.context["campaign"].slug,
        "reg-TOTAL_FORMS": str(formset.total_form_count()),
        "reg-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for index, form in enumerate(formset.forms):
        for name in ("member", "result", "reason", "grade"):
            data[f"reg-{index}-{name}"] = form.initial.get(name, "")
    return data


def test_bulk_form_saves_everyone_with_the_defaults(client, registered, year, users):
    p = registered
    client.force_login(users["sec"])
    MemberRegistration.objects.filter(branch=p.b1).delete()
    BranchRegistration.objects.filter(branch=p.b1).delete()
    url = reverse("reports:registration_branch", args=[p.b1.code])
    data = form_data(client, url)
    data["reg-3-grade"] = G.EXCELLENT
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    records = services.records_of(year, p.b1)
    assert len(records) == 4
    assert sorted(r.grade for r in records.values()) == [G.EXCELLENT] + [G.QUALIFIED] * 3
    submitted = client.post(
        reverse("reports:registration_submit", args=[p.b1.code]), {"campaign": year.slug}
    )
    assert submitted.status_code == HTTPStatus.FOUND
    assert BranchRegistration.objects.get(branch=p.b1).status == BranchRegistrationStatus.SUBMITTED


def test_bulk_form_rejects_all_and_names_the_member(client, registered, year, users):
    p = registered
    client.force_login(users["sec2"])
    BranchRegistration.objects.filter(branch=p.b2).update(status=BranchRegistrationStatus.RETURNED)
    url = reverse("reports:registration_branch", args=[p.b2.code])
    data = form_data(client, url)
    data["reg-0-result"] = R.REFUSED
    data["reg-0-reason"] = ""
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    member = members_of(p.b2)[0]
    problems = response.context["problems"]
    assert problems and member.name in problems[0]
    assert "不予注册" in problems[0] or "原因" in problems[0]
    assert services.records_of(year, p.b2)[member.pk].result == R.REGISTERED


def test_branch_pages_answer_404_outside_scope_and_403_without_the_right(client, registered, users):
    p = registered
    client.force_login(users["sec"])
    assert (
        client.get(reverse("reports:registration_branch", args=[p.b2.code])).status_code
        == HTTPStatus.NOT_FOUND
    )
    client.force_login(users["c2"])
    assert (
        client.get(reverse("reports:registration_branch", args=[p.b1.code])).status_code
        == HTTPStatus.NOT_FOUND
    )
    # A committee is not a branch.
    client.force_login(users["c1"])
    assert (
        client.get(reverse("reports:registration_branch", args=[p.k1.code])).status_code
        == HTTPStatus.NOT_FOUND
    )


def test_certify_and_return_from_the_committee_page(client, registered, year, users):
    p = registered
    awaiting = BranchRegistration.objects.get(branch=p.cb1)
    client.force_login(users["c2"])
    assert (
        client.post(reverse("reports:registration_certify", args=[awaiting.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    client.force_login(users["c1"])
    page = client.get(reverse("reports:registration"), {"campaign": year.slug})
    assert page.status_code == HTTPStatus.OK
    assert [r.pk for r in page.context["awaiting"]] == [awaiting.pk]
    assert {b.code for b, _reason, _day in page.context["not_done"]} == {"B2"}
    assert "请补充" in page.content.decode()
    response = client.post(reverse("reports:registration_certify", args=[awaiting.pk]))
    assert response.status_code == HTTPStatus.FOUND
    awaiting.refresh_from_db()
    assert awaiting.status == BranchRegistrationStatus.CERTIFIED


def test_import_checks_then_saves_and_offers_an_error_report(client, registered, year, users):
    p = registered
    client.force_login(users["sec2"])
    BranchRegistration.objects.filter(branch=p.b2).delete()
    MemberRegistration.objects.filter(branch=p.b2).delete()
    url = reverse("reports:registration_branch", args=[p.b2.code])
    sheet = client.get(reverse("reports:registration_sheet", args=[p.b2.code]))
    assert sheet.status_code == HTTPStatus.OK
    rows = read_xlsx_bytes(b"".join(sheet.streaming_content))
    header = rows[1]
    assert header == ["序号", "姓名", "公民身份号码", "注册结果", "暂缓或不予注册原因", "评议等次"]
    member = members_of(p.b2)[0]
    assert rows[2][1:4] == [member.name, member.id_number, "注册"]
    bad = client.post(
        url,
        {
            "action": "upload",
            "campaign": year.slug,
            "file": xlsx_upload(
                header, [[1, member.name, member.id_number, "暂缓注册", "", "优秀"]]
            ),
        },
    )
    outcome = bad.context["outcome"]
    assert not outcome.ok
    assert member.name in str(outcome.errors[0]) and "原因" in str(outcome.errors[0])
    report = client.get(
        reverse("reports:registration_errors", args=[p.b2.code, bad.context["report_token"]])
    )
    assert report.status_code == HTTPStatus.OK
    good = client.post(
        url,
        {
            "action": "upload",
            "campaign": year.slug,
            "file": xlsx_upload(
                header, [[1, member.name, member.id_number, "暂缓注册", "外出务工失联", "基本合格"]]
            ),
        },
    )
    assert good.context["outcome"].ok and not MemberRegistration.objects.filter(branch=p.b2)
    done = client.post(
        url, {"action": "confirm", "campaign": year.slug, "token": good.context["token"]}
    )
    assert done.status_code == HTTPStatus.FOUND
    record = services.records_of(year, p.b2)[member.pk]
    assert (record.result, record.reason, record.grade) == (R.DEFERRED, "外出务工失联", G.BASIC)


def test_no_write_crosses_a_scope(client, registered, year, users):
    """Another branch's secretary and another city's committee reach nothing: 404, and the
    records stay as they were."""
    p = registered
    before = list(MemberRegistration.objects.order_by("pk").values_list("pk", "result", "grade"))
    client.force_login(users["sec2"])
    url = reverse("reports:registration_branch", args=[p.b1.code])
    posted = {"action": "save", "campaign": year.slug, "reg-TOTAL_FORMS": "0"}
    assert client.post(url, posted).status_code == HTTPStatus.NOT_FOUND
    client.force_login(users["c2"])
    assert client.post(url, posted).status_code == HTTPStatus.NOT_FOUND
    submit = reverse("reports:registration_submit", args=[p.b2.code])
    assert client.post(submit, {"campaign": year.slug}).status_code == HTTPStatus.NOT_FOUND
    returned = BranchRegistration.objects.get(branch=p.cb1)
    response = client.post(
        reverse("reports:registration_return", args=[returned.pk]), {"reason": "x"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    after = list(MemberRegistration.objects.order_by("pk").values_list("pk", "result", "grade"))
    assert after == before
    assert BranchRegistration.objects.get(branch=p.cb1).status == BranchRegistrationStatus.SUBMITTED


def test_the_branch_secretary_cannot_certify_their_own_registration(client, registered, users):
    awaiting = BranchRegistration.objects.get(branch=registered.cb1)
    secretary = factories.user_with_role(registered.cb1, Role.SECRETARY, username="cbsec")
    client.force_login(secretary)
    response = client.post(reverse("reports:registration_certify", args=[awaiting.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    awaiting.refresh_from_db()
    assert awaiting.status == BranchRegistrationStatus.SUBMITTED


def test_dashboard_shows_the_registration_figures_only_for_a_registration_year(
    client, registered, year, users
):
    general = Campaign.objects.create(
        slug="entry",
        name="录入",
        year=2024,
        deadline=timezone.localdate(),
        metric="entry_ratio",
        threshold="0.6",
    )
    client.force_login(users["province"])
    board = client.get(reverse("dashboard"), {"campaign": year.slug}).context["board"]
    names = {f.name for f in board.figures}
    assert {"registration_ratio", "evaluation_excellent"} <= names
    row = next(r for r in board.rows if r.organization.code == "C1")
    assert row.value == round(5 / 7, 4)
    board = client.get(reverse("dashboard"), {"campaign": general.slug}).context["board"]
    assert "registration_ratio" not in {f.name for f in board.figures}


def test_branch_page_costs_the_same_queries_with_more_members(client, registered, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    p = registered
    client.force_login(users["sec2"])
    url = reverse("reports:registration_branch", args=[p.b2.code])
    client.get(url)  # warm the session and the catalogues
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == HTTPStatus.OK
    for _ in range(10):
        factories.MemberFactory(branch=p.b2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 11
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_large_upload_is_checked_and_imported_by_the_worker(
    client, registered, year, users, settings, django_capture_on_commit_callbacks
):
    from spreadsheets.models import ImportJob

    p = registered
    settings.BACKGROUND_IMPORT_BYTES = 0
    BranchRegistration.objects.filter(branch=p.b2).delete()
    MemberRegistration.objects.filter(branch=p.b2).delete()
    client.force_login(users["sec2"])
    member = members_of(p.b2)[0]
    header = ["序号", "姓名", "公民身份号码", "注册结果", "暂缓或不予注册原因", "评议等次"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:registration_branch", args=[p.b2.code]),
            {
                "action": "upload",
                "campaign": year.slug,
                "file": xlsx_upload(
                    header, [[1, member.name, member.id_number, "注册", "", "优秀"]]
                ),
            },
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("spreadsheets:import_job", args=[job.pk])
    assert job.status == ImportJob.Status.DONE and job.rejected == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("spreadsheets:import_job_confirm", args=[job.pk]))
    assert services.records_of(year, p.b2)[member.pk].grade == G.EXCELLENT

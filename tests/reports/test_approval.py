"""Approval up the tree: the gate and its override, reopening, changes after acceptance and the
lock, and the subtree's approval tree."""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from members.models import Member
from members.numbers.services import unused_number_update
from members.services import member_create, member_delete, member_update
from reports.models import (
    Campaign,
    ChangeAction,
    ChangeKind,
    PostAcceptanceChange,
    Submission,
    SubmissionStatus,
)
from reports.schools.explanations import committee_target, explanation_save
from reports.submissions.approval import approval_tree, submission_reopen, unaccepted_children
from reports.submissions.services import (
    State,
    submission_accept,
    submission_create,
    submission_return,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(scripted_province, people_table):
    campaign = Campaign.objects.create(
        slug="summary",
        name="加盖公章汇总表上报",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=5),
        submission_tables="test_people",
    )
    p = scripted_province
    users = {
        "province": factories.user_with_role(p.root, Role.PROVINCE, username="prov"),
        "c1": factories.user_with_role(p.c1, Role.COMMITTEE, username="c1"),
        "c2": factories.user_with_role(p.c2, Role.COMMITTEE, username="c2"),
        "k1": factories.user_with_role(p.k1, Role.COMMITTEE, username="k1"),
        "s1": factories.user_with_role(p.s1, Role.COMMITTEE, username="s1"),
        "secretary": factories.user_with_role(p.b1, Role.SECRETARY, username="sec"),
    }
    return campaign, p, users


def accept_children_of_c1(campaign, p, users):
    for child, who in ((p.k1, "k1"), (p.s1, "s1")):
        submitted = submission_create(campaign=campaign, organization=child, user=users[who])
        submission_accept(submission=submitted, user=users["c1"])


def accepted_city(campaign, p, users):
    """C1 accepted by the province over accepted children."""
    accept_children_of_c1(campaign, p, users)
    city = submission_create(campaign=campaign, organization=p.c1, user=users["c1"])
    return submission_accept(submission=city, user=users["province"])


def b1_member_of_2019(p):
    return Member.objects.filter(branch=p.b1, join_date=date(2019, 3, 1)).order_by("pk").first()


# --- the gate and the override -----------------------------------------------------------------


def test_gate_refuses_a_city_over_children_not_accepted(world):
    campaign, p, users = world
    with pytest.raises(ValidationError) as refused:
        submission_create(campaign=campaign, organization=p.c1, user=users["c1"])
    message = refused.value.messages[0]
    assert "甲县团委" in message and "甲市一中团委" in message
    assert not Submission.objects.filter(organization=p.c1).exists()


def test_gate_refuses_a_city_over_a_returned_county(world):
    campaign, p, users = world
    accept_children_of_c1(campaign, p, users)
    county = Submission.objects.get(organization=p.k1)
    submission_reopen(submission=county, user=users["c1"], reason="人数有误")
    assert [(c.code, s) for c, s in unaccepted_children(campaign, p.c1)] == [("K1", State.RETURNED)]
    with pytest.raises(ValidationError) as refused:
        submission_create(campaign=campaign, organization=p.c1, user=users["c1"])
    assert "甲县团委（已退回）" in refused.value.messages[0]


def test_gate_opens_when_every_child_is_accepted(world):
    campaign, p, users = world
    accept_children_of_c1(campaign, p, users)
    city = submission_create(campaign=campaign, organization=p.c1, user=users["c1"])
    assert (city.override_children, city.override_reason) == ([], "")


def test_branches_owe_no_submission(world):
    """A county whose children are branches submits without an override."""
    campaign, p, users = world
    county = submission_create(campaign=campaign, organization=p.k1, user=users["k1"])
    assert county.override_children == []


def test_override_names_the_children_and_the_parent_sees_it(client, world):
    campaign, p, users = world
    county = submission_create(campaign=campaign, organization=p.k1, user=users["k1"])
    submission_return(submission=county, user=users["c1"], reason="缺联系电话")
    city = submission_create(
        campaign=campaign, organization=p.c1, user=users["c1"], override_reason="截止在即，先行上报"
    )
    assert city.override_children == [
        {"code": "K1", "name": "甲县团委", "state": State.RETURNED},
        {"code": "S1", "name": "甲市一中团委", "state": State.NOT_SUBMITTED},
    ]
    assert city.override_reason == "截止在即，先行上报"
    client.force_login(users["province"])
    page = client.get(reverse("reports:submissions"), {"campaign": "summary"})
    row = page.content.decode().split('data-code="C1"')[1].split("</tr>")[0]
    assert "甲县团委" in row and "甲市一中团委" in row and "截止在即，先行上报" in row


def test_the_submit_page_names_the_children_not_accepted(client, world):
    campaign, p, users = world
    client.force_login(users["c1"])
    page = client.get(reverse("reports:submissions"), {"campaign": "summary"})
    assert [child.code for child, _state in page.context["unaccepted"]] == ["K1", "S1"]
    response = client.post(reverse("reports:submit", args=["summary"]), {"note": ""}, follow=True)
    assert "甲县团委" in response.content.decode()
    assert not Submission.objects.filter(organization=p.c1).exists()


# --- reopening ---------------------------------------------------------------------------------


def test_reopen_keeps_the_versions_and_lets_the_child_resubmit(world):
    campaign, p, users = world
    accepted = accepted_city(campaign, p, users)
    reopened = submission_reopen(submission=accepted, user=users["province"], reason="名册有重复")
    assert (reopened.status, reopened.return_reason) == (SubmissionStatus.RETURNED, "名册有重复")
    assert reopened.reopened_by == users["province"] and reopened.reopened_at is not None
    assert reopened.files.count() == 1  # the frozen tables stay
    second = submission_create(campaign=campaign, organization=p.c1, user=users["c1"])
    assert second.version == 2
    versions = Submission.objects.filter(organization=p.c1).order_by("version")
    assert [(s.version, s.status) for s in versions] == [
        (1, SubmissionStatus.RETURNED),
        (2, SubmissionStatus.SUBMITTED),
    ]


@pytest.mark.parametrize("who", ["c1", "c2", "k1", "secretary"])
def test_only_the_parent_reopens(world, who):
    campaign, p, users = world
    accepted = accepted_city(campaign, p, users)
    with pytest.raises(PermissionDenied):
        submission_reopen(submission=accepted, user=users[who], reason="x")


def test_reopen_needs_a_reason_and_an_accepted_newest_version(world):
    campaign, p, users = world
    accept_children_of_c1(campaign, p, users)
    city = submission_create(campaign=campaign, organization=p.c1, user=users["c1"])
    with pytest.raises(ValidationError):
        submission_reopen(submission=city, user=users["province"], reason="未接收的不能撤销")
    submission_accept(submission=city, user=users["province"])
    with pytest.raises(ValidationError):
        submission_reopen(submission=city, user=users["province"], reason="   ")


def test_reopen_page(client, world):
    campaign, p, users = world
    accepted = accepted_city(campaign, p, users)
    url = reverse("reports:reopen", args=[accepted.pk])
    client.force_login(users["c2"])
    assert client.post(url, {"reason": "x"}).status_code == HTTPStatus.NOT_FOUND
    client.force_login(users["c1"])
    assert client.post(url, {"reason": "x"}).status_code == HTTPStatus.FORBIDDEN
    client.force_login(users["province"])
    page = client.get(reverse("reports:submissions"), {"campaign": "summary"})
    assert url in page.content.decode()
    response = client.post(url, {"reason": "数据需要更正"})
    assert response.status_code == HTTPStatus.FOUND
    accepted.refresh_from_db()
    assert (accepted.status, accepted.return_reason) == (SubmissionStatus.RETURNED, "数据需要更正")


# --- changes after acceptance ------------------------------------------------------------------


def test_changes_after_acceptance_are_recorded_for_every_accepted_level(world):
    campaign, p, users = world
    city = accepted_city(campaign, p, users)
    county = Submission.objects.get(organization=p.k1)
    school = Submission.objects.get(organization=p.s1)
    assert PostAcceptanceChange.objects.count() == 0
    member = b1_member_of_2019(p)
    member_update(member=member, user=users["secretary"], phone="13800000000")
    changes = PostAcceptanceChange.objects.all()
    assert sorted((c.submission_id, c.kind, c.action, c.object_id) for c in changes) == sorted(
        [
            (city.pk, ChangeKind.MEMBER, ChangeAction.CHANGED, member.pk),
            (county.pk, ChangeKind.MEMBER, ChangeAction.CHANGED, member.pk),
        ]
    )
    assert not school.changes_after_acceptance.exists()
    assert {c.label for c in changes} == {member.name}
    assert {c.changed_by for c in changes} == {users["secretary"]}


def test_records_outside_the_period_or_subtree_are_not_recorded(world):
    campaign, p, users = world
    accepted_city(campaign, p, users)
    before_2017 = Member.objects.get(branch=p.b1, join_date=date(2016, 5, 1))
    member_update(member=before_2017, phone="13800000001")
    other_city = Member.objects.get(branch=p.b3)
    member_update(member=other_city, phone="13800000002")
    assert PostAcceptanceChange.objects.count() == 0


def test_added_and_deleted_members_are_recorded(world):
    campaign, p, users = world
    city = accepted_city(campaign, p, users)
    factories.NumberRangeFactory(organization=p.k1, first=201900000701, last=201900000799)
    added = member_create(
        member=factories.MemberFactory.build(
            name="新成员",
            branch=p.b1,
            join_date=date(2019, 4, 1),
            development_number=201900000777,
            developing_organization=p.k1,
        )
    )
    added_pk = added.pk
    member_delete(member=added)
    actions = list(
        city.changes_after_acceptance.order_by("pk").values_list("action", "label", "object_id")
    )
    assert actions == [
        (ChangeAction.CREATED, "新成员", added_pk),
        (ChangeAction.DELETED, "新成员", added_pk),
    ]


def test_unused_numbers_and_explanations_count_where_the_tables_hold_them(world):
    campaign, p, users = world
    campaign.submission_tables = "test_people,unused_numbers,school_counts"
    campaign.save()
    city = accepted_city(campaign, p, users)
    number_range = factories.NumberRangeFactory(organization=p.k1, first=201900020001, level=3)
    entry = factories.UnusedNumberFactory(number_range=number_range)
    unused_number_update(entry=entry, status="voided", explanation="填写错误作废")
    explanation_save(
        user=users["c1"], target=committee_target(users["c1"], 2019, p.c1), text="说明"
    )
    kinds = sorted(city.changes_after_acceptance.values_list("kind", flat=True))
    assert kinds == [ChangeKind.EXPLANATION, ChangeKind.UNUSED_NUMBER]


def test_the_parent_sees_the_count_and_the_list(client, world):
    campaign, p, users = world
    city = accepted_city(campaign, p, users)
    member = b1_member_of_2019(p)
    member_update(member=member, phone="13800000003")
    member_update(member=member, phone="13800000004")
    client.force_login(users["province"])
    page = client.get(reverse("reports:submissions"), {"campaign": "summary"})
    assert page.context["changes"][city.pk] == 2
    assert "2 项接收后的改动" in page.content.decode()
    changes_url = reverse("reports:submission_changes", args=[city.pk])
    listing = client.get(changes_url)
    assert listing.status_code == HTTPStatus.OK
    assert listing.content.decode().count(member.name) == 2
    client.force_login(users["c2"])
    assert client.get(changes_url).status_code == HTTPStatus.NOT_FOUND


# --- the lock ----------------------------------------------------------------------------------


def test_the_lock_refuses_changes_until_the_parent_reopens(world):
    campaign, p, users = world
    campaign.lock_after_acceptance = True
    campaign.save()
    city = accepted_city(campaign, p, users)
    member = b1_member_of_2019(p)
    with pytest.raises(ValidationError) as refused:
        member_update(member=member, user=users["secretary"], phone="13800000005")
    assert member.name in refused.value.messages[0]
    assert "撤销接收" in refused.value.messages[0]
    member.refresh_from_db()
    assert member.phone != "13800000005"
    assert PostAcceptanceChange.objects.count() == 0
    # The county's accepted version locks the member too: both must be reopened.
    submission_reopen(submission=city, user=users["province"], reason="需要更正")
    with pytest.raises(ValidationError):
        member_update(member=member, user=users["secretary"], phone="13800000005")
    county = Submission.objects.get(organization=p.k1)
    submission_reopen(submission=county, user=users["c1"], reason="需要更正")
    member_update(member=member, user=users["secretary"], phone="13800000005")
    member.refresh_from_db()
    assert member.phone == "13800000005"
    assert PostAcceptanceChange.objects.count() == 0


def test_without_the_lock_the_change_is_saved_and_recorded(world):
    campaign, p, users = world
    accepted_city(campaign, p, users)
    member = b1_member_of_2019(p)
    member_update(member=member, user=users["secretary"], phone="13800000006")
    member.refresh_from_db()
    assert member.phone == "13800000006"
    assert PostAcceptanceChange.objects.count() == 2


# --- the tree ----------------------------------------------------------------------------------


def test_approval_tree_of_the_province(world):
    campaign, p, users = world
    accepted_city(campaign, p, users)
    submission_create(campaign=campaign, organization=p.c2, user=users["c2"])
    member_update(member=b1_member_of_2019(p), phone="13800000007")
    rows = approval_tree(campaign, p.root, users["province"])
    assert [(r.organization.code, r.indent, r.state, r.changes) for r in rows] == [
        ("C1", 0, State.ACCEPTED, 1),
        ("K1", 1, State.ACCEPTED, 1),
        ("S1", 1, State.ACCEPTED, 0),
        ("C2", 0, State.ON_TIME, 0),
        ("C3", 0, State.NOT_SUBMITTED, 0),
    ]


def test_approval_tree_is_on_the_page_within_scope(client, world):
    campaign, p, users = world
    client.force_login(users["c1"])
    page = client.get(reverse("reports:submissions"), {"campaign": "summary"})
    codes = [row.organization.code for row in page.context["tree"]]
    assert codes == ["K1", "S1"]
    assert 'id="approval-tree"' in page.content.decode()


def test_the_admin_shows_the_lock_as_a_form_error_and_offers_no_delete(client, world):
    from tests.members.conftest import entry_data

    campaign, p, users = world
    campaign.lock_after_acceptance = True
    campaign.save()
    accepted_city(campaign, p, users)
    member = b1_member_of_2019(p)
    data = entry_data(
        p.b1,
        name="改名",
        gender=member.gender,
        birth_date=member.birth_date.isoformat(),
        id_number=member.id_number,
        join_date=member.join_date.isoformat(),
        development_number=member.development_number_text,
        developing_organization=member.developing_organization_id,
    )
    client.force_login(users["secretary"])
    change = reverse("admin:members_member_change", args=[member.pk])
    response = client.post(change, data)
    assert response.status_code == HTTPStatus.OK
    assert "上级撤销接收前不能修改" in response.content.decode()
    member.refresh_from_db()
    assert member.name != "改名"
    delete = reverse("admin:members_member_delete", args=[member.pk])
    assert client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert Member.objects.filter(pk=member.pk).exists()


# --- number ranges and status changes are watched too -----------------------------------------


def ranges_campaign(world, *, lock):
    campaign, p, users = world
    campaign.submission_tables = "test_people,unused_numbers"
    campaign.lock_after_acceptance = lock
    campaign.save()
    factories.NumberRangeFactory(organization=p.k1, first=201900020001, last=201900020100)
    return accepted_city(campaign, p, users)


def test_range_writes_after_acceptance_are_recorded(world):
    from members.numbers.services import (
        number_range_create,
        number_range_delete,
        number_range_update,
    )

    campaign, p, users = world
    city = ranges_campaign(world, lock=False)
    handed = number_range_create(
        organization=p.b1, first=201900020001, last=201900020010, user=users["k1"]
    )
    number_range_update(number_range=handed, first=201900020001, last=201900020020)
    number_range_delete(number_range=handed, user=users["k1"])
    changes = list(city.changes_after_acceptance.order_by("pk"))
    assert [(c.kind, c.action) for c in changes] == [
        (ChangeKind.UNUSED_NUMBER, "created"),
        (ChangeKind.UNUSED_NUMBER, "changed"),
        (ChangeKind.UNUSED_NUMBER, "deleted"),
    ]
    assert "2019-0002-0001" in changes[0].label or "201900020001" in changes[0].label
    # The county's accepted version holds the range too; the other city's holds nothing.
    county = Submission.objects.get(organization=p.k1)
    assert county.changes_after_acceptance.count() == 3


def test_a_range_of_another_year_is_not_recorded(world):
    from members.numbers.services import number_range_create

    campaign, p, users = world
    city = ranges_campaign(world, lock=False)
    factories.NumberRangeFactory(organization=p.k1, first=202300020001, last=202300020100)
    number_range_create(organization=p.b1, first=202300020001, last=202300020010)
    assert city.changes_after_acceptance.count() == 0


def test_the_lock_refuses_range_writes(world):
    from members.models import NumberRange
    from members.numbers.services import (
        number_range_check_delete,
        number_range_create,
        number_range_update,
    )

    campaign, p, users = world
    handed = NumberRange.objects.create(organization=p.b1, first=201900020001, last=201900020010)
    city = ranges_campaign(world, lock=True)
    with pytest.raises(ValidationError) as refused:
        number_range_create(organization=p.b2, first=201900020011, last=201900020020)
    assert "撤销接收" in refused.value.messages[0]
    assert not NumberRange.objects.filter(organization=p.b2).exists()
    with pytest.raises(ValidationError):
        number_range_update(number_range=handed, first=201900020001, last=201900020005)
    handed.refresh_from_db()
    assert handed.last == 201900020010
    with pytest.raises(ValidationError):
        number_range_check_delete(number_range=handed)
    assert PostAcceptanceChange.objects.count() == 0
    submission_reopen(submission=city, user=users["province"], reason="号段调整")
    county = Submission.objects.get(organization=p.k1)
    submission_reopen(submission=county, user=users["c1"], reason="号段调整")
    number_range_update(number_range=handed, first=201900020001, last=201900020005)
    handed.refresh_from_db()
    assert handed.last == 201900020005


def test_the_admin_shows_a_locked_range_as_a_form_error(client, world):
    from members.models import NumberRange

    campaign, p, users = world
    handed = NumberRange.objects.create(organization=p.b1, first=201900020001, last=201900020010)
    ranges_campaign(world, lock=True)
    client.force_login(users["k1"])
    change = reverse("admin:members_numberrange_change", args=[handed.pk])
    response = client.post(change, {"first": "201900020001", "last": "201900020005"})
    assert response.status_code == HTTPStatus.OK
    assert "上级撤销接收前不能修改" in response.content.decode()
    add = reverse("admin:members_numberrange_add")
    response = client.post(
        add, {"organization": p.b2.pk, "first": "201900020011", "last": "201900020020"}
    )
    assert response.status_code == HTTPStatus.OK
    assert "上级撤销接收前不能修改" in response.content.decode()
    delete = reverse("admin:members_numberrange_delete", args=[handed.pk])
    response = client.post(delete, {"post": "yes"}, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "上级撤销接收前不能修改" in response.content.decode()
    handed.refresh_from_db()
    assert handed.last == 201900020010
    assert not NumberRange.objects.filter(organization=p.b2).exists()


def test_status_changes_after_acceptance_are_recorded(world):
    from members.status.services import member_exit_propose, member_exit_reverse

    campaign, p, users = world
    city = accepted_city(campaign, p, users)
    member = b1_member_of_2019(p)
    member_exit_propose(
        member=member, status="withdrawn", effective_on=date(2020, 1, 1), reason="本人申请"
    )
    member_exit_reverse(member=member, reason="误操作")
    changes = list(city.changes_after_acceptance.order_by("pk"))
    assert [(c.kind, c.label) for c in changes] == [(ChangeKind.MEMBER, member.name)] * 2


def test_the_lock_refuses_status_changes_and_the_page_says_why(client, world):
    campaign, p, users = world
    campaign.lock_after_acceptance = True
    campaign.save()
    accepted_city(campaign, p, users)
    member = b1_member_of_2019(p)
    client.force_login(users["secretary"])
    response = client.post(
        reverse("members:status", args=[member.pk]),
        {
            "propose-status": "withdrawn",
            "propose-effective_on": "2020-01-01",
            "propose-reason": "本人申请",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "上级撤销接收前不能修改" in response.content.decode()
    member.refresh_from_db()
    assert member.status == "active"
    assert PostAcceptanceChange.objects.count() == 0


# --- the education figures (table 1-2) are watched too ----------------------------------------


def education_file(tmp_path, **counts):
    from reports.tables.school_counts import IMPORT_COLUMNS
    from tests.reports.school_fixtures import CODES, EDUCATION_ROWS
    from tests.xlsx import write_xlsx

    labels = {"public": "公办", "private": "民办"}
    rows = [
        [CODES[key], name, labels[ownership], city, counts.get(key, count)]
        for key, name, ownership, city, count in EDUCATION_ROWS
    ]
    return write_xlsx(tmp_path / "edu.xlsx", IMPORT_COLUMNS, rows)


def schools_campaign(world, *, lock):
    from tests.reports.school_fixtures import build_school_province

    campaign, p, users = world
    campaign.submission_tables = "test_people,school_counts"
    campaign.lock_after_acceptance = lock
    campaign.save()
    city = accepted_city(campaign, p, users)
    build_school_province(p)
    return city


def import_education(path):
    from tests.commands import run_import

    return run_import("import_education_counts", path, "--year", "2019")


def test_an_education_import_after_acceptance_records_the_schools_it_changes(tmp_path, world):
    city = schools_campaign(world, lock=False)
    code, _out, err = import_education(education_file(tmp_path, S1=13, X1=31, S3=16))
    assert code == 0, err
    labels = sorted(
        city.changes_after_acceptance.filter(kind=ChangeKind.EDUCATION_COUNT).values_list(
            "label", flat=True
        )
    )
    # S1 is the city's school, X1 is claimed by no organisation and names the city; S3 is the
    # other city's, and the unchanged schools are not recorded.
    assert labels == ["甲市民办英才学校（313501019901）", "甲市第一中学（313501010001）"]
    code, _out, err = import_education(education_file(tmp_path, S1=13, X1=31, S3=16))
    assert code == 0, err
    assert city.changes_after_acceptance.count() == 2


def test_the_lock_refuses_an_education_import(tmp_path, world):
    from reports.models import EducationCount

    schools_campaign(world, lock=True)
    code, out, err = import_education(education_file(tmp_path, S1=13))
    assert code != 0
    assert "撤销接收" in out + err
    assert EducationCount.objects.get(school_code="313501010001").education_count == 12
    assert PostAcceptanceChange.objects.count() == 0
    # The other city's schools are not locked.
    code, _out, err = import_education(education_file(tmp_path, S3=16))
    assert code == 0, err


def test_deleting_education_figures_in_the_admin_is_watched(client, world):
    from reports.models import EducationCount

    campaign, p, users = world
    city = schools_campaign(world, lock=False)
    client.force_login(users["province"])
    x1 = EducationCount.objects.get(school_code="313501019901")
    client.post(
        reverse("admin:reports_educationcount_changelist"),
        {"action": "delete_selected", "_selected_action": [x1.pk], "post": "yes"},
    )
    assert not EducationCount.objects.filter(pk=x1.pk).exists()
    assert list(city.changes_after_acceptance.values_list("kind", "action")) == [
        (ChangeKind.EDUCATION_COUNT, "deleted")
    ]
    campaign.lock_after_acceptance = True
    campaign.save()
    s1 = EducationCount.objects.get(school_code="313501010001")
    delete = reverse("admin:reports_educationcount_delete", args=[s1.pk])
    assert client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    bulk = client.post(
        reverse("admin:reports_educationcount_changelist"),
        {"action": "delete_selected", "_selected_action": [s1.pk], "post": "yes"},
    )
    assert bulk.status_code == HTTPStatus.FORBIDDEN
    assert EducationCount.objects.filter(pk=s1.pk).exists()

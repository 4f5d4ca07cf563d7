"""The to-do list: each provider's count on known answers, for each role, and the pages."""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Organization, Role
from members.models import Member
from members.moves.services import move_create
from reports.models import Campaign, EducationCount, Submission
from reports.submissions.services import submission_create, submission_return
from reports.todo import todo_items
from tests import factories
from tests.reports import test_notifications

pytestmark = pytest.mark.django_db

#: a real SMTP server on loopback (aiosmtpd), as in the notification tests
smtp = test_notifications.smtp


@pytest.fixture
def world(scripted_province, people_table):
    """One of each thing that waits, placed in C1's subtree unless said otherwise."""
    p = scripted_province
    today = timezone.localdate()
    users = {
        "province": factories.user_with_role(p.root, Role.PROVINCE, username="prov"),
        "c1": factories.user_with_role(p.c1, Role.COMMITTEE, username="c1"),
        "c2": factories.user_with_role(p.c2, Role.COMMITTEE, username="c2"),
        "k1": factories.user_with_role(p.k1, Role.COMMITTEE, username="k1"),
        "secretary": factories.user_with_role(p.b1, Role.SECRETARY, username="sec"),
    }
    campaign = Campaign.objects.create(
        slug="summary",
        name="加盖公章汇总表上报",
        year=2019,
        deadline=today + timedelta(days=5),
        submission_tables="test_people",
    )
    # K1 has submitted to C1 (C1 reviews); C2 was returned by the province (C2 corrects).
    submission_create(campaign=campaign, organization=p.k1, user=users["k1"])
    returned = submission_create(campaign=campaign, organization=p.c2, user=users["c2"])
    submission_return(submission=returned, user=users["province"], reason="缺联系电话")
    # A member of C2 moving into K1: K1 and C1 confirm the arrival.
    move_create(
        member=Member.objects.get(branch=p.b3),
        reason="employment",
        moved_on=today - timedelta(days=3),
        destination_organization=p.k1,
    )
    # Entered late today, in B1.
    factories.MemberFactory(branch=p.b1, join_date=today - timedelta(days=90))
    # Turning 28 in ten days, in B2.
    factories.MemberFactory(
        branch=p.b2,
        birth_date=date(today.year - 28, 1, 1) + (today - date(today.year, 1, 1)) + timedelta(10),
    )
    # A number issued to K1 a month ago and nobody entered.
    number_range = factories.NumberRangeFactory(organization=p.k1, first=201900090001)
    issued = factories.IssuedNumberFactory(number_range=number_range)
    type(issued).objects.filter(pk=issued.pk).update(issued_at=timezone.now() - timedelta(days=30))
    # A cadre term in K1 ending in a month.
    factories.CadreFactory(organization=p.k1, term_end=today + timedelta(days=30))
    # A school the education department counts that the tree lacks: the province explains it.
    EducationCount.objects.create(
        year=2019,
        school_code="3135000001",
        school_name="外地民办学校",
        ownership=Organization.Ownership.PRIVATE,
        city_name="不存在市",
        education_count=100,
    )
    return campaign, p, users


def counts(user, today=None):
    return {item.key: item.count for item in todo_items(user, today=today)}


def test_counts_of_a_city_committee(world):
    campaign, p, users = world
    assert counts(users["c1"]) == {
        "review": 1,  # K1's submission
        "returned": 0,
        "arrivals": 1,
        "refused_moves": 0,
        "school_gaps": 0,
        "entry_due": 1,
        "reaching_28": 1,
        "cadre_terms": 1,
        "deadlines": 1,  # C1 has not submitted; due in five days
    }


def test_counts_of_a_returned_city(world):
    campaign, p, users = world
    assert counts(users["c2"]) == {
        "review": 0,
        "returned": 1,
        "arrivals": 0,
        "refused_moves": 0,
        "school_gaps": 0,
        "entry_due": 0,
        "reaching_28": 0,
        "cadre_terms": 0,
        "deadlines": 1,  # returned: it still has to submit
    }


def test_counts_of_a_county_that_has_submitted(world):
    campaign, p, users = world
    found = counts(users["k1"])
    assert (found["review"], found["deadlines"], found["arrivals"]) == (0, 0, 1)
    assert (found["entry_due"], found["cadre_terms"], found["reaching_28"]) == (1, 1, 1)


def test_counts_of_the_province(world):
    campaign, p, users = world
    found = counts(users["province"])
    assert found["review"] == 0  # C2 returned, C1 and C3 not submitted
    assert found["school_gaps"] == 1
    assert found["entered_late"] == 1
    assert (found["arrivals"], found["entry_due"], found["reaching_28"]) == (1, 1, 1)


def test_counts_of_a_secretary(world):
    campaign, p, users = world
    assert counts(users["secretary"]) == {"entered_late": 1}


def test_a_deadline_counts_within_seven_days_only(world):
    campaign, p, users = world
    today = timezone.localdate()
    assert counts(users["c1"], today=today - timedelta(days=3))["deadlines"] == 0
    assert counts(users["c1"], today=today - timedelta(days=2))["deadlines"] == 1
    assert counts(users["c1"], today=today + timedelta(days=6))["deadlines"] == 0


def test_review_clears_when_decided(world):
    campaign, p, users = world
    county = Submission.objects.get(organization=p.k1)
    submission_return(submission=county, user=users["c1"], reason="缺联系电话")
    assert counts(users["c1"])["review"] == 0
    assert counts(users["k1"])["returned"] == 1


def test_every_link_opens_for_its_user(client, world):
    campaign, p, users = world
    for name in ("c1", "province", "secretary"):
        client.force_login(users[name])
        for item in todo_items(users[name]):
            assert client.get(item.url).status_code == HTTPStatus.OK, (name, item.key)


def test_todo_page_and_desk(client, world):
    campaign, p, users = world
    client.force_login(users["c1"])
    page = client.get(reverse("reports:todo"))
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert "待审核的上报" in body and "7天内截止的专项工作" in body
    desk = client.get(reverse("home")).content.decode()
    section = desk.split('id="desk-todo"')[1].split("</section>")[0]
    assert "待审核的上报" in section and "待确认报到" in section
    assert "被接收方拒绝的转接" not in section  # nothing waits there


def test_a_user_without_access_has_nothing(client, db):
    user = factories.UserFactory()
    assert todo_items(user) == []
    client.force_login(user)
    assert client.get(reverse("reports:todo")).status_code == HTTPStatus.OK


def test_a_refused_move_waits_for_the_developing_side(world):
    from members.models.moves import Move
    from members.moves.transfers import move_refuse

    campaign, p, users = world
    move = Move.objects.get(destination_organization=p.k1)
    move_refuse(move=move, user=users["k1"], reason="not_found")
    assert counts(users["c2"])["refused_moves"] == 1  # C2 developed the member
    assert counts(users["c1"])["refused_moves"] == 0
    assert counts(users["c1"])["arrivals"] == 0


# --- the to-do items that are events of their own are notified, once ---------------------------

TODO_EVENTS = {
    "school_gaps": "school_gap:",
    "entered_late": "entered_late:",
    "reaching_28": "reaching_28:",
    "cadre_terms": "cadre_term:",
}


def with_emails(users):
    for name, user in users.items():
        user.email = f"{name}@example.org"
        user.save()


def todo_notifications(user):
    from reports.models import Notification

    keys = Notification.objects.filter(user=user).values_list("key", flat=True)
    return {
        provider: sum(key.startswith(prefix) for key in keys)
        for provider, prefix in TODO_EVENTS.items()
    }


def test_each_to_do_event_is_notified_once_to_whom_it_waits_for(world):
    from reports.daily import notify_todo

    campaign, p, users = world
    notify_todo()
    notify_todo()
    for user in users.values():
        found = counts(user)
        # One notification per item, for exactly the items the user's to-do list counts.
        assert todo_notifications(user) == {
            provider: found.get(provider, 0) for provider in TODO_EVENTS
        }, user.username
    assert todo_notifications(users["c2"]) == dict.fromkeys(TODO_EVENTS, 0)
    assert todo_notifications(users["secretary"])["entered_late"] == 1
    assert todo_notifications(users["province"])["school_gaps"] == 1


def test_the_digest_of_to_do_events_arrives_once_through_smtp(smtp, world):
    from reports.daily import daily_run

    campaign, p, users = world
    with_emails(users)
    from reports.todo import reaching_28_members

    (turning,) = reaching_28_members(p.k1, timezone.localdate())
    daily_run()
    (message,) = smtp.to("k1@example.org")
    body = message.get_content()
    assert body.count(f"{turning.name}将于") == 1
    assert body.count("的团干部任期于") == 1
    (message,) = smtp.to("secretary@example.org")
    assert message.get_content().count("超期录入") == 1
    assert turning.name not in "".join(m.get_content() for m in smtp.to("c2@example.org"))
    sent = len(smtp.messages)
    daily_run()
    assert len(smtp.messages) == sent


def test_immediate_mode_sends_one_email_per_to_do_event(
    smtp, world, django_capture_on_commit_callbacks
):
    from reports.daily import notify_todo
    from reports.models import Delivery
    from reports.notifications import preference_set

    campaign, p, users = world
    with_emails(users)
    preference_set(user=users["k1"], delivery=Delivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        notify_todo()
    with django_capture_on_commit_callbacks(execute=True):
        notify_todo()
    expected = sum(todo_notifications(users["k1"]).values())
    assert expected == 2  # the member turning 28 and the cadre term
    received = smtp.to("k1@example.org")
    assert len(received) == expected
    assert len({m["subject"] for m in received}) == expected

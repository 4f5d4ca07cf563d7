"""Notifications in the application and by e-mail through a real SMTP server on loopback."""

import email
import email.policy
import socket
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from reports.daily import daily_run
from reports.models import Campaign, Delivery, Notification
from reports.notifications import (
    mark_read,
    notify,
    notify_submission,
    preference_set,
    send_digests,
)
from reports.submissions.approval import submission_reopen
from reports.submissions.services import submission_accept, submission_create
from tests import factories

pytestmark = pytest.mark.django_db


class Inbox:
    """What the SMTP server received: one parsed message per delivery."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for recipients, message in self.messages if address in recipients]


def subject(message):
    """The decoded subject; a long one is folded, and parsing leaves the fold's space before it."""
    return message["subject"].strip()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port, with Django's SMTP backend
    pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield inbox
    controller.stop()


@pytest.fixture
def world(scripted_province, people_table):
    p = scripted_province
    campaign = Campaign.objects.create(
        slug="summary",
        name="加盖公章汇总表上报",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=30),
        submission_tables="test_people",
    )
    users = {
        "province": factories.user_with_role(
            p.root, Role.PROVINCE, username="prov", email="prov@example.org"
        ),
        "c1": factories.user_with_role(p.c1, Role.COMMITTEE, username="c1", email="c1@example.org"),
        "c2": factories.user_with_role(p.c2, Role.COMMITTEE, username="c2", email="c2@example.org"),
        "k1": factories.user_with_role(p.k1, Role.COMMITTEE, username="k1", email="k1@example.org"),
        "s1": factories.user_with_role(p.s1, Role.COMMITTEE, username="s1", email="s1@example.org"),
    }
    return campaign, p, users


def submit(campaign, organization, user, on_commit):
    with on_commit(execute=True):
        return submission_create(campaign=campaign, organization=organization, user=user)


def test_immediate_mode_sends_exactly_one_email_per_event(
    smtp, world, django_capture_on_commit_callbacks
):
    campaign, p, users = world
    preference_set(user=users["c1"], delivery=Delivery.IMMEDIATE)
    county = submit(campaign, p.k1, users["k1"], django_capture_on_commit_callbacks)
    (message,) = smtp.to("c1@example.org")
    assert subject(message) == "【团员管理】甲县团委上报了“加盖公章汇总表上报”第1版"
    assert "/reports/submissions/?campaign=summary&org=C1" in message.get_content()
    # The same event again, and the digest: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        notify_submission(county, "submitted")
    send_digests()
    assert len(smtp.to("c1@example.org")) == 1
    assert Notification.objects.filter(user=users["c1"]).count() == 1
    # Another event is another e-mail.
    submit(campaign, p.s1, users["s1"], django_capture_on_commit_callbacks)
    assert len(smtp.to("c1@example.org")) == 2
    assert smtp.to("prov@example.org") == []  # the province is told about its own children only


def test_digest_sends_one_email_listing_each_event_once(
    smtp, world, django_capture_on_commit_callbacks
):
    campaign, p, users = world
    county = submit(campaign, p.k1, users["k1"], django_capture_on_commit_callbacks)
    submit(campaign, p.s1, users["s1"], django_capture_on_commit_callbacks)
    assert smtp.messages == []  # the digest is the default: nothing goes out at once
    assert send_digests() == 1
    (message,) = smtp.to("c1@example.org")
    assert message["subject"] == "【团员管理】2 条新通知"
    body = message.get_content()
    assert body.count("甲县团委上报了") == 1 and body.count("甲市一中团委上报了") == 1
    # Sent once: the next digest, and the same events told again, send nothing.
    notify_submission(county, "submitted")
    assert send_digests() == 0
    assert len(smtp.messages) == 1


def test_digest_from_the_cron_command(smtp, world, django_capture_on_commit_callbacks):
    campaign, p, users = world
    submit(campaign, p.k1, users["k1"], django_capture_on_commit_callbacks)
    call_command("send_notification_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_notification_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(smtp.to("c1@example.org")) == 1


def test_the_digest_task(smtp, world, django_capture_on_commit_callbacks):
    from reports.tasks import send_notification_digest

    campaign, p, users = world
    submit(campaign, p.k1, users["k1"], django_capture_on_commit_callbacks)
    result = send_notification_digest.enqueue()
    assert result.return_value == 1
    assert len(smtp.to("c1@example.org")) == 1


def test_no_email_for_a_user_who_chose_none(smtp, world, django_capture_on_commit_callbacks):
    campaign, p, users = world
    preference_set(user=users["c1"], delivery=Delivery.NONE)
    submit(campaign, p.k1, users["k1"], django_capture_on_commit_callbacks)
    send_digests()
    assert smtp.messages == []
    assert Notification.objects.filter(user=users["c1"]).unread().count() == 1


def test_read_notifications_are_not_in_the_digest(smtp, world, django_capture_on_commit_callbacks):
    campaign, p, users = world
    submit(campaign, p.k1, users["k1"], django_capture_on_commit_callbacks)
    mark_read(user=users["c1"])
    assert send_digests() == 0


def test_decisions_reach_the_child_and_the_reopen_reason_is_told(
    smtp, world, django_capture_on_commit_callbacks
):
    campaign, p, users = world
    preference_set(user=users["k1"], delivery=Delivery.IMMEDIATE)
    county = submit(campaign, p.k1, users["k1"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        submission_accept(submission=county, user=users["c1"])
    with django_capture_on_commit_callbacks(execute=True):
        submission_reopen(submission=county, user=users["c1"], reason="人数与名册不符")
    subjects = [subject(m) for m in smtp.to("k1@example.org")]
    assert subjects == [
        "【团员管理】“加盖公章汇总表上报”第1版已被接收",
        "【团员管理】“加盖公章汇总表上报”第1版已被撤销接收",
    ]
    assert "人数与名册不符" in smtp.to("k1@example.org")[1].get_content()


def test_nothing_is_written_for_a_user_outside_the_scope(world):
    campaign, p, users = world
    created = notify(
        users=[users["c2"], users["k1"]],
        key="test:1",
        subject_organization=p.k1,
        title="甲县团委的事",
    )
    assert [n.user for n in created] == [users["k1"]]
    assert not Notification.objects.filter(user=users["c2"]).exists()


def test_deadline_reminders_once_per_campaign(world):
    campaign, p, users = world
    campaign.deadline = timezone.localdate() + timedelta(days=3)
    campaign.save()
    daily_run()
    daily_run()
    reminders = Notification.objects.filter(key__startswith="deadline:")
    assert sorted(n.user.username for n in reminders) == ["c1", "c2", "k1", "prov", "s1"]


def test_notifications_page_and_mark_read(client, world, django_capture_on_commit_callbacks):
    campaign, p, users = world
    submit(campaign, p.k1, users["k1"], django_capture_on_commit_callbacks)
    notification = Notification.objects.get(user=users["c1"])
    client.force_login(users["k1"])
    # Another user's notification cannot be marked read.
    client.post(reverse("reports:notifications_read"), {"id": notification.pk})
    notification.refresh_from_db()
    assert notification.read_at is None
    client.force_login(users["c1"])
    page = client.get(reverse("reports:notifications"))
    assert page.status_code == HTTPStatus.OK
    assert "甲县团委上报了" in page.content.decode()
    assert "1 条未读通知" in client.get(reverse("home")).content.decode()
    client.post(reverse("reports:notifications_read"), {"id": notification.pk})
    notification.refresh_from_db()
    assert notification.read_at is not None
    response = client.post(reverse("reports:notifications"), {"delivery": "immediate"})
    assert response.status_code == HTTPStatus.FOUND
    assert users["c1"].notification_preference.delivery == Delivery.IMMEDIATE
    assert client.post(reverse("reports:notifications"), {"delivery": "x"}).status_code == 200


def test_a_move_tells_the_receiving_committee_and_a_refusal_the_developing_one(world):
    from members.models import Member
    from members.moves.services import move_create
    from members.moves.transfers import move_refuse

    campaign, p, users = world
    member = Member.objects.get(branch=p.b3)  # developed by C2's branch
    move = move_create(
        member=member,
        reason="employment",
        moved_on=timezone.localdate(),
        destination_organization=p.k1,
    )
    (arrival,) = Notification.objects.filter(key__startswith=f"move:{move.pk}:sent")
    assert arrival.user == users["k1"]
    assert arrival.title == f"{member.name}将转入甲县团委，报到后请确认"
    move_refuse(move=move, user=users["k1"], reason="not_found")
    (refusal,) = Notification.objects.filter(key__startswith=f"move:{move.pk}:refused")
    assert refusal.user == users["c2"]
    assert refusal.title == f"{member.name}的转接被拒绝：查无此人"
    assert not Notification.objects.filter(user__in=[users["c1"], users["province"]]).exists()

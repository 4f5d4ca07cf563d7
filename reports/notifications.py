"""Notifications: in the application (read and unread) and by e-mail through Django's e-mail
framework (SMTP in production, the console in development).

Each notification has a key naming its event; the database keeps one per event and recipient
(``notification_once_per_event``), and an e-mail is sent only by whoever first marks a
notification e-mailed, so no event reaches anyone twice. Recipients are the users attached to
the organisation concerned, and each is checked against ``branches.access`` before anything is
written for them. Each user chooses immediate e-mails, a daily digest (:mod:`reports.daily`:
the task ``send_notification_digest``, or the command of that name from cron), or none.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import override

from branches import access
from branches.models import OrganizationAccess, Role
from reports.models import Delivery, Notification, NotificationPreference
from reports.submissions.states import parent_of

logger = logging.getLogger(__name__)

DIGEST_HOUR = 7


def delivery_of(user):
    preference = NotificationPreference.objects.filter(user_id=user.pk).first()
    return preference.delivery if preference else Delivery.DIGEST


def preference_set(*, user, delivery):
    """Store how ``user`` wants notifications by e-mail."""
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    preference.delivery = delivery
    preference.full_clean()
    preference.save()
    return preference


def committee_users(organization):
    """The active users working for ``organization`` as its committee (or provincial staff)."""
    return [
        grant.user
        for grant in OrganizationAccess.objects.filter(
            organization=organization,
            role__in=(Role.COMMITTEE, Role.PROVINCE),
            user__is_active=True,
        ).select_related("user", "organization")
    ]


def notify(*, users, key, subject_organization, title, body="", link=""):
    """Write one notification per user about the event ``key``, for users who may see
    ``subject_organization``; a user already told about this event is skipped. E-mails
    users who chose immediate delivery once the transaction commits."""
    created = []
    for user in users:
        if not access.is_in_scope(user, subject_organization):
            continue
        try:
            with transaction.atomic():
                notification, was_created = Notification.objects.get_or_create(
                    user=user,
                    key=key,
                    defaults={"title": title[:200], "body": body, "link": link[:300]},
                )
        except IntegrityError:  # a parallel writer told this user first
            continue
        if was_created:
            created.append(notification)
    immediate = [
        n.pk for n in created if n.user.email and delivery_of(n.user) == Delivery.IMMEDIATE
    ]
    if immediate:
        transaction.on_commit(lambda: send_immediate(immediate))
    return created


def _claim(notifications):
    """Mark ``notifications`` e-mailed; only those this call marked may be sent."""
    now = timezone.now()
    claimed = []
    for notification in notifications:
        if Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=now
        ):
            claimed.append(notification)
    return claimed


def _unclaim(notifications):
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=None)


def _absolute(link):
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{link}" if link.startswith("/") else link


def _send(user, subject, lines, notifications):
    try:
        send_mail(
            subject,
            "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    except Exception:  # the mail server is down: the next digest tries again
        logger.exception("Sending notification e-mail to user %s failed", user.pk)
        _unclaim(notifications)
        return False
    return True


def send_immediate(notification_ids):
    """E-mail each of these notifications whose recipient chose immediate delivery."""
    sent = 0
    notifications = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("user")
    for notification in notifications:
        user = notification.user
        if not user.email or delivery_of(user) != Delivery.IMMEDIATE:
            continue
        if not _claim([notification]):
            continue
        with override(settings.LANGUAGE_CODE):
            lines = [notification.body, _absolute(notification.link)]
            subject = _("[Youth League membership] %(title)s") % {"title": notification.title}
        sent += _send(user, subject, lines, [notification])
    return sent


def send_digests():
    """One e-mail per user choosing the digest, listing their notifications not yet e-mailed
    and not yet read; returns how many e-mails went out."""
    waiting = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "created_at", "pk")
    )
    by_user = {}
    for notification in waiting:
        by_user.setdefault(notification.user, []).append(notification)
    sent = 0
    for user, notifications in by_user.items():
        if delivery_of(user) != Delivery.DIGEST:
            continue
        claimed = _claim(notifications)
        if not claimed:
            continue
        with override(settings.LANGUAGE_CODE):
            subject = _("[Youth League membership] %(count)d new notifications") % {
                "count": len(claimed)
            }
            lines = []
            for notification in claimed:
                lines += [
                    f"· {notification.title}",
                    notification.body,
                    _absolute(notification.link),
                    "",
                ]
        sent += _send(user, subject, lines, claimed)
    return sent


def next_digest_moment(now=None):
    now = timezone.localtime(now)
    moment = timezone.make_aware(datetime.combine(now.date(), time(DIGEST_HOUR)))
    return moment if moment > now else moment + timedelta(days=1)


def mark_read(*, user, notification_ids=None):
    """Mark the user's notifications (all, or these ids) read; returns how many changed."""
    unread = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


# --- events --------------------------------------------------------------------------------------


def _submissions_link(submission, organization):
    query = urlencode({"campaign": submission.campaign.slug, "org": organization.code})
    return f"{reverse('reports:submissions')}?{query}"


def notify_submission(submission, event):
    """Tell the level concerned about a submission's step: the parent's committee when a child
    submits, the child's committee when the parent accepts, returns or reopens."""
    organization = submission.organization
    parent = parent_of(organization)
    names = {
        "org": organization.name,
        "campaign": submission.campaign.name,
        "version": submission.version,
    }
    with override(settings.LANGUAGE_CODE):
        if event == "submitted":
            if parent is None:
                return []
            recipients, about = committee_users(parent), parent
            title = _("%(org)s submitted version %(version)d for “%(campaign)s”") % names
            body = ""
            if submission.override_children:
                body = _("Submitted before these were accepted: %(names)s. Reason: %(reason)s") % {
                    "names": "、".join(c["name"] for c in submission.override_children),
                    "reason": submission.override_reason,
                }
        else:
            recipients, about = committee_users(organization), organization
            title = {
                "accepted": _("Version %(version)d for “%(campaign)s” was accepted"),
                "returned": _("Version %(version)d for “%(campaign)s” was returned"),
                "reopened": _(
                    "The acceptance of version %(version)d for “%(campaign)s” was taken back"
                ),
            }[event] % names
            body = submission.return_reason if event != "accepted" else ""
    return notify(
        users=recipients,
        key=f"submission:{submission.pk}:{event}",
        subject_organization=organization,
        title=title,
        body=body,
        link=_submissions_link(submission, about),
    )


def notify_move(event, *, move):
    """Tell the receiving committee of a move into its organisation, and the developing
    committee of a refusal (registered on ``members.watch`` at start-up)."""
    if event == "move_sent" and move.destination_organization_id:
        about = move.destination_organization
        key = f"move:{move.pk}:sent:{move.sent_on.isoformat() if move.sent_on else ''}"
        with override(settings.LANGUAGE_CODE):
            title = _("%(name)s is moving to %(org)s; confirm when the member reports") % {
                "name": move.member.name,
                "org": about.name,
            }
        link = f"{reverse('moves:inbox')}?{urlencode({'org': about.code})}"
    elif event == "move_refused":
        about = move.member.developing_organization
        key = f"move:{move.pk}:refused:{move.refused_at.isoformat()}"
        with override(settings.LANGUAGE_CODE):
            title = _("The move of %(name)s was refused: %(reason)s") % {
                "name": move.member.name,
                "reason": move.get_refusal_reason_display(),
            }
        link = f"{reverse('moves:follow_up')}?{urlencode({'org': about.code, 'show': 'returned'})}"
    else:
        return []
    return notify(
        users=nearest_committee_users(about),
        key=key,
        subject_organization=about,
        title=title,
        body=move.refusal_note if event == "move_refused" else "",
        link=link,
    )


def nearest_committee_users(organization):
    """The committee users of ``organization``, or of its nearest ancestor that has some (a
    branch's moves are followed by the committee above it)."""
    grants = list(
        OrganizationAccess.objects.filter(
            organization__path__in=[*organization.ancestor_paths(), organization.path],
            role=Role.COMMITTEE,
            user__is_active=True,
        ).select_related("user", "organization")
    )
    if not grants:
        return []
    deepest = max(grant.organization.depth for grant in grants)
    return [grant.user for grant in grants if grant.organization.depth == deepest]

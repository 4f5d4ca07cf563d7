"""The daily run: deadline reminders and the to-do items that are events of their own, then the
e-mail digests (:mod:`reports.notifications` delivers them). The task re-queues itself each day;
the command ``send_notification_digest`` is the cron fallback."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import default_task_backend, task

from branches import access
from branches.models import OrganizationAccess, Role
from reports.notifications import next_digest_moment, notify, send_digests
from reports.rollups import maintain as rollups


def notify_deadlines(today=None):
    """Remind each committee of a campaign deadline given to it within the to-do horizon,
    once per campaign and user."""
    from reports.todo import campaigns_due

    today = today or timezone.localdate()
    created = []
    grants = OrganizationAccess.objects.filter(
        role__in=(Role.COMMITTEE, Role.PROVINCE), user__is_active=True
    ).select_related("user", "organization")
    for grant in grants:
        for campaign in campaigns_due(grant.organization, today):
            deadline = campaign.deadline_for(grant.organization)
            with override(settings.LANGUAGE_CODE):
                title = _("“%(campaign)s” is due on %(date)s") % {
                    "campaign": campaign.name,
                    "date": deadline.isoformat(),
                }
            created += notify(
                users=[grant.user],
                key=f"deadline:{campaign.pk}:{grant.organization_id}:{deadline.isoformat()}",
                subject_organization=grant.organization,
                title=title,
                link=f"{reverse('reports:submissions')}?"
                + urlencode({"campaign": campaign.slug, "org": grant.organization.code}),
            )
    return created


def _todo_events(user, organization, today):
    """``(key, title, link)`` of each to-do item the user's role acts on that is an event of
    its own: a school gap to explain, a member entered late, a member reaching 28, a cadre
    term ending. Every item lies in ``organization``'s subtree, within the user's scope."""
    from members.models.member import age_limit_date
    from reports import todo

    events = []
    for provider in todo.PROVIDERS:
        if provider.key not in TODO_EVENTS or not access.can(
            user, provider.capability, organization
        ):
            continue
        link = provider.url(organization)
        if provider.key == "school_gaps":
            year, lines = todo.school_gap_lines(organization)
            for line in lines:
                school = line.school_code or line.organization_code
                events.append(
                    (
                        f"school_gap:{year}:{school}",
                        _("The gap of %(school)s in %(year)s waits for an explanation")
                        % {"school": line.name or line.organization_name, "year": year},
                        link,
                    )
                )
        elif provider.key == "entered_late":
            for member in todo.entered_late_members(user, organization).only("pk", "name"):
                events.append(
                    (
                        f"entered_late:{member.pk}",
                        _("%(name)s was entered late") % {"name": member.name},
                        link,
                    )
                )
        elif provider.key == "reaching_28":
            for member in todo.reaching_28_members(organization, today).only(
                "pk", "name", "birth_date"
            ):
                turns = age_limit_date(member.birth_date)
                events.append(
                    (
                        f"reaching_28:{member.pk}:{turns.isoformat()}",
                        _("%(name)s turns 28 on %(date)s")
                        % {"name": member.name, "date": turns.isoformat()},
                        link,
                    )
                )
        elif provider.key == "cadre_terms":
            from branches.cadres import terms_due

            for org in terms_due(organization, user=user, today=today):
                events.append(
                    (
                        f"cadre_term:{org.pk}:{org.term_end.isoformat()}",
                        _("The cadres' term of %(org)s ends on %(date)s")
                        % {"org": org.name, "date": org.term_end.isoformat()},
                        link,
                    )
                )
    return events


#: the to-do providers whose items are notified one event each by :func:`notify_todo`
TODO_EVENTS = ("school_gaps", "entered_late", "reaching_28", "cadre_terms")


def notify_todo(today=None):
    """Tell each user, once per event, of the to-do items their role acts on that are events of
    their own (:func:`_todo_events`); run daily, before the digests."""
    today = today or timezone.localdate()
    created = []
    grants = OrganizationAccess.objects.filter(user__is_active=True).select_related(
        "user", "organization"
    )
    for grant in grants:
        with override(settings.LANGUAGE_CODE):
            events = _todo_events(grant.user, grant.organization, today)
        for key, title, link in events:
            created += notify(
                users=[grant.user],
                key=key,
                subject_organization=grant.organization,
                title=title,
                link=link,
            )
    return created


def daily_run(today=None):
    """What the daily task and the cron command do: deadline and to-do reminders, then the
    digests."""
    notify_deadlines(today)
    notify_todo(today)
    # Figures kept for an anchor date (members reaching 28) move it along.
    rollups.advance_anchors(today)
    return send_digests()


@task()
def send_notification_digest():
    """Deadline reminders and the daily e-mail digest; queues itself for the next day when the
    backend can defer (the command ``send_notification_digest`` is the cron fallback)."""
    sent = daily_run()
    schedule_notification_digest()
    return sent


def schedule_notification_digest():
    """Queue the next daily digest, when the backend can run a task later."""
    if not default_task_backend.supports_defer:
        return None
    return send_notification_digest.using(run_after=next_digest_moment()).enqueue()

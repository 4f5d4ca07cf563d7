"""The to-do list (待办): what waits for a user, computed from their scope and role.

Each provider answers one question for one user — how many, and where it is done — with a
bounded number of queries, through ``branches.access`` only. A provider whose capability the
user's role lacks is left out, so a page never links to a 403. The desk shows the counts
(``reports/templatetags/todo_tags.py``); the 待办 page lists them with their links.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from branches import access
from branches.cadres import terms_due
from members.models import IssuedNumber, Member
from members.models.member import age_limit_birth_date
from members.models.moves import Move
from reports.models import Campaign, Submission, SubmissionStatus

Capability = access.Capability


def rule(name, default):
    """A to-do horizon from ``YOUTHLEAGUE`` in the settings."""
    return settings.YOUTHLEAGUE.get(name, default)


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    capability: Capability
    count: object  # (user, organization, today) -> int
    url: object  # (organization) -> str


PROVIDERS = []


def provider(key, label, capability, url):
    def register(count):
        PROVIDERS.append(Provider(key, label, capability, count, url))
        return count

    return register


def _url(name, organization, **params):
    return f"{reverse(name)}?{urlencode({'org': organization.code, **params})}"


def _submission_campaigns():
    return Campaign.objects.active().exclude(submission_tables="")


@provider(
    "review",
    _("Submissions to review"),
    Capability.REVIEW,
    lambda org: _url("reports:submissions", org),
)
def submissions_to_review(user, organization, today):
    """Children's newest versions awaiting the user's organisation's decision."""
    from branches.models import Organization

    return (
        Submission.objects.latest_per_organization()
        .filter(
            status=SubmissionStatus.SUBMITTED,
            campaign__in=_submission_campaigns(),
            organization__in=Organization.objects.children_of(organization),
        )
        .count()
    )


@provider(
    "returned",
    _("Returned submissions to correct"),
    Capability.SUBMIT,
    lambda org: _url("reports:submissions", org),
)
def returned_submissions(user, organization, today):
    """The organisation's own newest versions that came back returned (or reopened)."""
    return (
        Submission.objects.latest_per_organization()
        .filter(
            status=SubmissionStatus.RETURNED,
            campaign__in=_submission_campaigns(),
            organization=organization,
        )
        .count()
    )


@provider(
    "arrivals",
    _("Arrivals to confirm"),
    Capability.FOLLOW_MOVES,
    lambda org: _url("moves:inbox", org),
)
def arrivals_to_confirm(user, organization, today):
    return (
        Move.objects.incoming_for(user)
        .pending()
        .filter(destination_organization__path__startswith=organization.path)
        .count()
    )


@provider(
    "refused_moves",
    _("Moves refused by the receiving side"),
    Capability.FOLLOW_MOVES,
    lambda org: _url("moves:follow_up", org, show="returned"),
)
def refused_moves(user, organization, today):
    """Moves the user's side developed that the receiving side refused, waiting to be resent
    or closed (``Move.objects.refused()``, the two-sided transfers' rule)."""
    return (
        Move.objects.followed_by(user)
        .refused()
        .filter(member__developing_organization__path__startswith=organization.path)
        .count()
    )


@provider(
    "school_gaps",
    _("School gaps to explain"),
    Capability.EXPLAIN,
    lambda org: _url("reports:schools", org),
)
def school_gaps(user, organization, today):
    return len(school_gap_lines(organization)[1])


def school_gap_lines(organization):
    """``(year, lines)``: the schools of ``organization``'s subtree whose gap in the latest
    year of education figures waits for an explanation."""
    from reports.schools import latest_year, school_lines

    year = latest_year()
    if year is None:
        return None, []
    return year, [
        line
        for line in school_lines(organization, year)
        if line.needs_explanation or (line.is_omission and not line.is_explained)
    ]


@provider(
    "entered_late",
    _("Members entered late in the last 30 days"),
    Capability.ENTER_MEMBERS,
    lambda org: f"{reverse('admin:members_member_changelist')}?entry=late",
)
def entered_late(user, organization, today):
    return entered_late_members(user, organization).count()


def entered_late_members(user, organization):
    """Members the user may edit, entered late in the last ``TODO_RECENT_DAYS`` days."""
    since = timezone.now() - timedelta(days=rule("TODO_RECENT_DAYS", 30))
    return (
        Member.objects.editable_by(user)
        .in_subtree(organization)
        .entered_late()
        .filter(entered_at__gte=since)
    )


@provider(
    "entry_due",
    _("Issued numbers whose member is not entered yet"),
    Capability.VIEW_DASHBOARD,
    lambda org: _url("members:ledger", org),
)
def entry_due(user, organization, today):
    """Numbers handed out at least ``TODO_ENTRY_WARNING_DAYS`` ago whose member nobody entered:
    the member's one-month entry deadline is near or past."""
    before = timezone.now() - timedelta(days=rule("TODO_ENTRY_WARNING_DAYS", 21))
    return (
        access.scope_queryset(user, IssuedNumber.objects.with_entered(), via="organization__")
        .filter(
            entered=False,
            issued_at__lte=before,
            organization__path__startswith=organization.path,
        )
        .count()
    )


@provider(
    "reaching_28",
    _("Members reaching 28 within 30 days"),
    Capability.REVIEW,
    lambda org: _url("members:reaching_28", org, days=rule("TODO_REACHING_DAYS", 30)),
)
def reaching_28(user, organization, today):
    return reaching_28_members(organization, today).count()


def reaching_28_members(organization, today):
    """Members in the League in the subtree who turn 28 within ``TODO_REACHING_DAYS`` days."""
    days = rule("TODO_REACHING_DAYS", 30)
    reached = age_limit_birth_date(today)
    return (
        Member.objects.in_league()
        .in_subtree(organization)
        .filter(birth_date__gt=reached, birth_date__lte=age_limit_birth_date(today, days))
    )


@provider(
    "cadre_terms",
    _("Cadre terms ending"),
    Capability.VIEW_DASHBOARD,
    lambda org: _url("cadres:lists", org),
)
def cadre_terms(user, organization, today):
    return terms_due(organization, user=user, today=today).count()


@provider(
    "deadlines",
    _("Campaign deadlines within 7 days"),
    Capability.VIEW_DASHBOARD,
    lambda org: _url("reports:submissions", org),
)
def campaign_deadlines(user, organization, today):
    """Active campaigns whose deadline given to the organisation falls in the next
    ``TODO_DEADLINE_DAYS`` days and that it has not submitted for yet."""
    return len(campaigns_due(organization, today))


def campaigns_due(organization, today):
    horizon = today + timedelta(days=rule("TODO_DEADLINE_DAYS", 7))
    done = set(
        Submission.objects.latest_per_organization()
        .filter(organization=organization)
        .exclude(status__in=(SubmissionStatus.RETURNED, SubmissionStatus.FAILED))
        .values_list("campaign_id", flat=True)
    )
    return [
        campaign
        for campaign in Campaign.objects.active().filter(deadline__gte=today)
        if campaign.pk not in done and today <= campaign.deadline_for(organization) <= horizon
    ]


def todo_items(user, today=None):
    """The user's to-do items, in the providers' order; only those their role can act on."""
    organization = access.home_organization(user)
    if organization is None:
        return []
    today = today or timezone.localdate()
    return [
        Item(p.key, p.label, p.count(user, organization, today), p.url(organization))
        for p in PROVIDERS
        if access.can(user, p.capability, organization)
    ]

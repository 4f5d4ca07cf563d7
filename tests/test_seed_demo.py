"""seed_demo builds the province of the notice and prints one login per role."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from branches import access
from branches.demo import DEMO_LOGINS
from branches.models import Organization, Role
from reports.models import YearEndFigures
from reports.statistics.comparison import statistics_for

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_seed_demo_builds_the_province():
    out = io.StringIO()
    call_command("seed_demo", "--members", "200", stdout=out)
    root = Organization.objects.get(depth=1)
    assert root.name == "共青团福建省委"
    cities = Organization.objects.children_of(root).filter(kind=Organization.Kind.CITY)
    assert {c.name for c in cities} >= {"共青团福州市委员会", "共青团平潭综合实验区委员会"}
    assert cities.count() == 10
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert set(Organization.Kind.values) - {"general_branch"} <= kinds
    schools = Organization.objects.schools()
    assert schools.filter(ownership=Organization.Ownership.PRIVATE).exists()
    assert schools.filter(ownership=Organization.Ownership.PUBLIC).exists()
    xmu = Organization.objects.get(code="XMU")
    college_names = set(Organization.objects.children_of(xmu).values_list("name", flat=True))
    assert "厦门大学嘉庚学院团委" in college_names and "厦门大学学校机关团委" in college_names
    printed = out.getvalue()
    for login in DEMO_LOGINS:
        assert login.username in printed
    users = get_user_model().objects.filter(username__in=[d.username for d in DEMO_LOGINS])
    roles = {access.role_of(user) for user in users}
    assert roles == set(Role)
    assert_registration_year_in_progress()
    # Last year's statistics are frozen; this year shows one decline explained, one not.
    year = timezone.localdate().year
    frozen = YearEndFigures.objects.filter(year=year - 1)
    assert frozen.count() == Organization.objects.current().count()
    declines = statistics_for(root, year).declines
    assert any(c.explanation for _line, c in declines)
    assert any(c.unexplained for _line, c in declines)


def assert_registration_year_in_progress():
    """A registration year with branches certified, awaiting, one returned and one late, and
    branches not done; the university forwarded it."""
    from reports.metrics import figures_for
    from reports.models import BranchRegistration, Campaign
    from reports.models import BranchRegistrationStatus as Status

    (year,) = Campaign.objects.registration_years()
    assert year.forwards.filter(organization__code="XMU").exists()
    statuses = list(BranchRegistration.objects.values_list("status", flat=True))
    assert statuses.count(Status.CERTIFIED) >= 2 and Status.SUBMITTED in statuses
    (returned,) = BranchRegistration.objects.filter(status=Status.RETURNED)
    assert returned.return_reason
    assert BranchRegistration.objects.filter(late=True).count() == 1
    figures = figures_for(Organization.objects.get(depth=1), year)
    assert figures["registration_branches_not_done"] > 0
    assert 0 < figures["registration_ratio"] < 1


@override_settings(DEBUG=True)
def test_seed_demo_if_empty_only_prints_logins_the_second_time():
    call_command("seed_demo", "--members", "50", stdout=io.StringIO())
    count = Organization.objects.count()
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert Organization.objects.count() == count
    assert "province" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())


@override_settings(DEBUG=False)
def test_seed_demo_refuses_without_debug():
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Organization.objects.exists()


@override_settings(DEBUG=True)
def test_seed_demo_shows_approval_up_the_tree_and_unread_notifications():
    from reports.models import Notification, Submission, SubmissionStatus

    call_command("seed_demo", "--members", "200", stdout=io.StringIO())
    campaign = "2019-summary"
    school = Submission.objects.get(campaign__slug=campaign, organization__code="350102-S1")
    assert school.status == SubmissionStatus.ACCEPTED
    assert school.changes_after_acceptance.exists()
    county = Submission.objects.get(campaign__slug=campaign, organization__code="350102")
    assert county.override_reason and county.override_children
    university = Submission.objects.get(campaign__slug=campaign, organization__code="XMU")
    assert university.reopened_at is not None and university.return_reason
    unread = set(
        Notification.objects.filter(read_at__isnull=True).values_list("user__username", flat=True)
    )
    assert {"school", "gulou", "xmu"} <= unread

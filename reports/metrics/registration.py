"""Figures of a registration year (团籍注册 and 团员教育评议); only for such a campaign.

Members count by their current branch and only while active (在团): the registration ratio is
the share of active members registered (注册), the evaluation distribution counts each grade.
Branches count when open and holding at least one active member; a branch is done once its
registration is certified, awaiting while the committee above has not decided, and not done
otherwise (never submitted, or returned). Each group is one grouped query per level.
"""

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from members.models import BRANCH_KINDS, Member, MemberStatus
from reports.metrics.base import Figure, FigureGroup, Kind, ratio, register
from reports.models.campaigns import Campaign, CampaignKind
from reports.models.registration import (
    BranchRegistrationStatus,
    EvaluationGrade,
    RegistrationResult,
)


def is_registration_year(campaign):
    return campaign is not None and campaign.is_registration


def registration_years():
    """Every registration campaign: the periods the registration figures are kept by."""
    return list(Campaign.objects.filter(kind=CampaignKind.REGISTRATION).order_by("pk"))


@register
class RegistrationFigures(FigureGroup):
    figures = (
        Figure("registration_members", _("active members to register")),
        Figure("registration_recorded", _("members with a registration recorded")),
        Figure("registration_registered", _("members registered")),
        Figure("registration_deferred", _("members whose registration is deferred")),
        Figure("registration_refused", _("members refused registration")),
        Figure("evaluation_excellent", _("evaluated excellent")),
        Figure("evaluation_qualified", _("evaluated qualified")),
        Figure("evaluation_basic", _("evaluated basically qualified")),
        Figure("evaluation_unqualified", _("evaluated unqualified")),
        Figure("registration_ratio", _("registration ratio"), kind=Kind.RATIO, rankable=True),
    )

    rolled_up = True
    by_campaign = True
    via = "branch"
    touched_by = ("member", "registration")

    def applies(self, campaign):
        return is_registration_year(campaign)

    def periods(self):
        return registration_years()

    def counts(self, root, depth, campaign=None):
        return super().counts(root, depth, campaign) if is_registration_year(campaign) else {}

    def rows(self, campaign=None):
        return Member.objects.filter(status=MemberStatus.ACTIVE).annotate(
            record=FilteredRelation("registrations", condition=Q(registrations__campaign=campaign))
        )

    def stored(self, campaign=None):
        record = Q(record__isnull=False)
        return {
            "registration_members": Count("id"),
            "registration_recorded": Count("id", filter=record),
            "registration_registered": Count(
                "id", filter=Q(record__result=RegistrationResult.REGISTERED)
            ),
            "registration_deferred": Count(
                "id", filter=Q(record__result=RegistrationResult.DEFERRED)
            ),
            "registration_refused": Count(
                "id", filter=Q(record__result=RegistrationResult.REFUSED)
            ),
            "evaluation_excellent": Count("id", filter=Q(record__grade=EvaluationGrade.EXCELLENT)),
            "evaluation_qualified": Count("id", filter=Q(record__grade=EvaluationGrade.QUALIFIED)),
            "evaluation_basic": Count("id", filter=Q(record__grade=EvaluationGrade.BASIC)),
            "evaluation_unqualified": Count(
                "id", filter=Q(record__grade=EvaluationGrade.UNQUALIFIED)
            ),
        }

    def derive(self, values):
        values["registration_ratio"] = ratio(
            values["registration_registered"], values["registration_members"]
        )


@register
class RegistrationBranchFigures(FigureGroup):
    figures = (
        Figure("registration_branches", _("branches to register")),
        Figure("registration_branches_certified", _("branches certified")),
        Figure("registration_branches_awaiting", _("branches awaiting certification")),
        Figure("registration_branches_returned", _("branches returned")),
        Figure("registration_branches_not_done", _("branches not done")),
        Figure("registration_branches_late", _("branches that submitted late")),
        Figure(
            "registration_certified_ratio",
            _("share of branches certified"),
            kind=Kind.RATIO,
            rankable=True,
        ),
    )

    rolled_up = True
    by_campaign = True
    touched_by = ("member", "organization", "registration")

    def applies(self, campaign):
        return is_registration_year(campaign)

    def periods(self):
        return registration_years()

    def counts(self, root, depth, campaign=None):
        return super().counts(root, depth, campaign) if is_registration_year(campaign) else {}

    def rows(self, campaign=None):
        has_members = Exists(
            Member.objects.filter(branch=OuterRef("pk"), status=MemberStatus.ACTIVE)
        )
        return (
            Organization.objects.current()
            .filter(kind__in=BRANCH_KINDS)
            .filter(has_members)
            .annotate(
                record=FilteredRelation(
                    "branch_registrations",
                    condition=Q(branch_registrations__campaign=campaign),
                ),
            )
        )

    def stored(self, campaign=None):
        return {
            "registration_branches": Count("id"),
            "registration_branches_certified": Count(
                "id", filter=Q(record__status=BranchRegistrationStatus.CERTIFIED)
            ),
            "registration_branches_awaiting": Count(
                "id", filter=Q(record__status=BranchRegistrationStatus.SUBMITTED)
            ),
            "registration_branches_returned": Count(
                "id", filter=Q(record__status=BranchRegistrationStatus.RETURNED)
            ),
            "registration_branches_late": Count("id", filter=Q(record__late=True)),
        }

    def derive(self, values):
        # Not done: never submitted, or returned; derived so that it adds up at every level.
        values["registration_branches_not_done"] = (
            values["registration_branches"]
            - values["registration_branches_certified"]
            - values["registration_branches_awaiting"]
        )
        values["registration_certified_ratio"] = ratio(
            values["registration_branches_certified"], values["registration_branches"]
        )

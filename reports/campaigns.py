"""Campaign deadlines as each organisation sees them, and the traffic light against a threshold."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from reports.models import Campaign, CampaignForward, Direction

AMBER_MARGIN = 0.10  # within ten percentage points of the threshold, on the good side


@dataclass(frozen=True)
class Deadline:
    campaign: Campaign
    deadline: date
    forward: CampaignForward | None
    today: date

    @property
    def days_left(self):
        return (self.deadline - self.today).days

    @property
    def days_overdue(self):
        return max(-self.days_left, 0)

    @property
    def is_past(self):
        return self.days_left < 0


def deadlines_for(organization, campaigns, today=None):
    """The deadline each campaign gave ``organization`` (forward-aware), in two queries at most."""
    today = today or timezone.localdate()
    campaigns = list(campaigns)
    ancestors = organization.ancestor_paths()
    nearest = {}
    if ancestors and campaigns:
        forwards = (
            CampaignForward.objects.filter(campaign__in=campaigns, organization__path__in=ancestors)
            .select_related("organization")
            .order_by("organization__depth")
        )
        for forward in forwards:
            nearest[forward.campaign_id] = forward  # deeper forwards replace shallower ones
    return [
        Deadline(
            campaign=campaign,
            deadline=nearest[campaign.pk].internal_deadline
            if campaign.pk in nearest
            else campaign.deadline,
            forward=nearest.get(campaign.pk),
            today=today,
        )
        for campaign in campaigns
    ]


def light(campaign, value):
    """green / amber / red against the campaign's threshold; grey when there is nothing to judge."""
    if campaign is None or not campaign.metric or value is None:
        return "grey"
    if campaign.is_named(value):
        return "red"
    threshold = float(campaign.threshold)
    if campaign.direction == Direction.BELOW:
        return "amber" if value < threshold + AMBER_MARGIN else "green"
    margin = min(AMBER_MARGIN, threshold / 2)
    return "amber" if value > threshold - margin else "green"


def default_campaign(campaigns):
    """The campaign a dashboard opens with: the active ranked one with the nearest deadline."""
    ranked = [c for c in campaigns if c.metric]
    if not ranked:
        return None
    today = timezone.localdate()
    upcoming = sorted((c for c in ranked if c.deadline >= today), key=lambda c: c.deadline)
    return upcoming[0] if upcoming else max(ranked, key=lambda c: (c.year, c.deadline))

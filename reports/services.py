"""Writes to campaigns, shared by the admin and the demo (and any command that adds one)."""

from django.db import transaction

from reports.models import Campaign
from reports.tasks import schedule_deadline_snapshot


def campaign_save(*, campaign, deadline_changed=None):
    """Validate and save ``campaign``; a new campaign, or one whose deadline moved, gets its
    figures frozen at the deadline (the snapshot task, or ``snapshot_campaign`` on backends
    that cannot defer).

    ``deadline_changed`` says whether the deadline moved (the admin knows it from its form);
    left out, the stored campaign is asked.
    """
    creating = campaign._state.adding
    if deadline_changed is None and not creating:
        stored = Campaign.objects.filter(pk=campaign.pk).values_list("deadline", flat=True)
        deadline_changed = stored.first() != campaign.deadline
    with transaction.atomic():
        campaign.full_clean()
        campaign.save()
    if creating or deadline_changed:
        schedule_deadline_snapshot(campaign)
    return campaign

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.models import Campaign
from reports.snapshots import snapshot_due, snapshot_take


class Command(BaseCommand):
    help = (
        "Freeze every organisation's figures for a campaign (SLUG), or with --due take the "
        "deadline snapshots that are due (run it daily from cron as a fallback to the task)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?")
        parser.add_argument("--date", type=date.fromisoformat, help="as-of date (default today)")
        parser.add_argument("--due", action="store_true", help="take all due deadline snapshots")

    def handle(self, *args, **options):
        if options["due"]:
            taken = snapshot_due()
            for snapshot in taken:
                self.stdout.write(_("Snapshot %(campaign)s as of %(date)s.") % _describe(snapshot))
            return
        if not options["slug"]:
            raise CommandError(_("Name a campaign, or use --due."))
        campaign = Campaign.objects.filter(slug=options["slug"]).first()
        if campaign is None:
            raise CommandError(_("No campaign called %(slug)s.") % {"slug": options["slug"]})
        snapshot = snapshot_take(campaign=campaign, taken_on=options["date"])
        self.stdout.write(
            self.style.SUCCESS(_("Snapshot %(campaign)s as of %(date)s.") % _describe(snapshot))
        )


def _describe(snapshot):
    return {"campaign": snapshot.campaign.slug, "date": snapshot.taken_on.isoformat()}

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.statistics.freeze import statistics_freeze, year_due
from reports.statistics.tasks import schedule_year_end_freeze


class Command(BaseCommand):
    help = (
        "Freeze the year-end figures of the annual statistics: the year due (on December 31 "
        "the year ending that day, otherwise the year before). A frozen year never changes; "
        "run it daily from cron as a fallback to the task."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, help="an ended year to freeze (default: the due one)"
        )
        parser.add_argument(
            "--schedule", action="store_true", help="also queue the task for the next December 31"
        )

    def handle(self, *args, **options):
        due = year_due()
        year = options["year"] or due
        if year > due:
            raise CommandError(_("The year %(year)d has not ended yet.") % {"year": year})
        frozen = statistics_freeze(year=year)
        if frozen:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Froze the statistics of %(year)d for %(count)d organisations.")
                    % {"year": year, "count": frozen}
                )
            )
        else:
            self.stdout.write(_("The statistics of %(year)d were already frozen.") % {"year": year})
        if options["schedule"]:
            schedule_year_end_freeze()

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from members.tallies import check_steps, tally_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the stored member and number counts and the figure roll-ups from the tables "
        "(after a bulk load); with --check, compare them with a full recount instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="print every stored count that differs from a full recount; exit 1 if any",
        )

    def handle(self, *args, **options):
        if options["check"]:
            self.check_counts()
            return
        with transaction.atomic():
            tally_rebuild()
        self.stdout.write(self.style.SUCCESS(_("Stored counts rebuilt.")))

    def check_counts(self):
        found = [line for check in check_steps() for line in check()]
        for line in found:
            self.stdout.write(line)
        if found:
            raise CommandError(
                _("%(count)d stored counts differ from a full recount.") % {"count": len(found)}
            )
        self.stdout.write(self.style.SUCCESS(_("Stored counts agree with a full recount.")))

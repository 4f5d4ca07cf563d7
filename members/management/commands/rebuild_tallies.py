from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from members.tallies import tally_rebuild


class Command(BaseCommand):
    help = "Recompute the stored member and number counts from the tables (after a bulk load)."

    def handle(self, *args, **options):
        with transaction.atomic():
            tally_rebuild()
        self.stdout.write(self.style.SUCCESS(_("Stored counts rebuilt.")))

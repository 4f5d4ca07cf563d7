from django.core.management.base import BaseCommand, CommandError

from reports.submissions.verifying import verify_workbook
from spreadsheets.reader import SpreadsheetError, check_upload


class Command(BaseCommand):
    help = "Check a stamped report spreadsheet: exit 0 if unchanged, 1 otherwise."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            check_upload(options["file"])
        except SpreadsheetError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        except OSError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        try:
            with open(options["file"], "rb") as handle:
                verdict = verify_workbook(handle)
        except OSError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if not verdict.ok:
            raise CommandError(verdict.describe(), returncode=1)
        self.stdout.write(self.style.SUCCESS(verdict.describe()))

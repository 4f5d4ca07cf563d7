"""The shared shape of every ``import_*`` management command."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def user_from_option(username):
    """The user named by ``--as``, whose scope then applies; None runs as the system operator."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("No active user named %(name)s.") % {"name": username})
    return user


class ImportCommand(BaseCommand):
    """Import one official table: all or nothing, errors by Excel row number, exit 1 on any."""

    table_import = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="import with this user's scope (default: no restriction)",
        )

    def handle(self, *args, **options):
        user = user_from_option(options["as_user"])
        outcome = self.table_import.run(options["file"], user=user, dry_run=options["dry_run"])
        if outcome.ignored_columns:
            self.stdout.write(outcome.ignored_note())
        for error in outcome.errors:
            self.stderr.write(str(error))
        if not outcome.ok:
            raise CommandError(outcome.summary(), returncode=1)
        self.stdout.write(self.style.SUCCESS(outcome.summary()))

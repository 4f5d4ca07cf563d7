from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from branches import access
from branches.models import Organization
from reports.models import Channel
from reports.submissions.exporting import StampRefused, export_write
from reports.tables.base import get_table, table_kinds
from spreadsheets.commands import user_from_option


class Command(BaseCommand):
    help = "Export an official table of one organisation's subtree to an .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=table_kinds())
        parser.add_argument("--org", required=True, help="organisation code")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")
        parser.add_argument(
            "--stamp",
            action="store_true",
            help="add the issuing block, the seal and a verification code",
        )
        parser.add_argument("--since", type=int, help="roster: members who joined in or after YEAR")
        parser.add_argument("--campaign", help="ranking: the campaign's slug")
        parser.add_argument(
            "--year", type=int, help="school_counts, statistics: the year (default: see README)"
        )
        parser.add_argument("--by", help="breakdown: the first attribute (e.g. education)")
        parser.add_argument("--then", help="breakdown: the second attribute (e.g. gender)")
        parser.add_argument(
            "--as", dest="as_user", metavar="USERNAME", help="export with this user's scope"
        )

    def handle(self, *args, **options):
        user = user_from_option(options["as_user"])
        try:
            organization = (
                access.organization_for(user, options["org"])
                if user is not None
                else Organization.objects.get(code=options["org"])
            )
        except (Http404, Organization.DoesNotExist):
            raise CommandError(
                _("No organisation with code %(code)s.") % {"code": options["org"]}
            ) from None
        table = get_table(options["kind"])
        extra = {name: options[name] for name in table.options if options.get(name) is not None}
        try:
            result = export_write(
                table=table,
                organization=organization,
                target=options["out"],
                user=user,
                stamp=options["stamp"],
                channel=Channel.COMMAND,
                **extra,
            )
        except StampRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote %(rows)d rows to %(path)s.")
                % {"rows": result.rows, "path": options["out"]}
            )
        )
        if result.code:
            self.stdout.write(_("Verification code: %(code)s") % {"code": result.code})

import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from branches import access
from branches.models import Organization
from reports.compliance import compliance_rows
from reports.models import Campaign
from spreadsheets.commands import user_from_option


class Command(BaseCommand):
    help = "Print the compliance figures of every organisation directly under CODE as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print a JSON list")
        parser.add_argument("--org", help="organisation code (default: the province)")
        parser.add_argument("--campaign", help="campaign slug: adds deadlines and threshold status")
        parser.add_argument(
            "--as", dest="as_user", metavar="USERNAME", help="use this user's scope"
        )

    def handle(self, *args, **options):
        user = user_from_option(options["as_user"])
        code = options["org"]
        try:
            if user is not None:
                parent = (
                    access.organization_for(user, code) if code else access.home_organization(user)
                )
                access.require(user, access.Capability.VIEW_DASHBOARD, parent)
            else:
                parent = (
                    Organization.objects.get(code=code)
                    if code
                    else Organization.objects.get_first_root_node()
                )
        except (Http404, Organization.DoesNotExist):
            raise CommandError(_("No organisation with code %(code)s.") % {"code": code}) from None
        if parent is None:
            raise CommandError(_("There are no organisations yet."))
        campaign = None
        if options["campaign"]:
            campaign = Campaign.objects.filter(slug=options["campaign"]).first()
            if campaign is None:
                raise CommandError(
                    _("No campaign called %(slug)s.") % {"slug": options["campaign"]}
                )
        rows = compliance_rows(parent, campaign)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            figures = " ".join(f"{k}={v}" for k, v in row.items() if k not in ("code", "name"))
            self.stdout.write(f"{row['code']}\t{row['name']}\t{figures}")

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization
from branches.services import organization_close, organization_merge


class Command(BaseCommand):
    help = (
        "Close (撤销) an organisation, or merge it into another with --into; refused, with the "
        "reasons, while it still holds members or number ranges."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="code of the organisation to close")
        parser.add_argument("--into", help="code of the organisation it merges into")
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--reason", default="")

    def _organization(self, code):
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise CommandError(_("No organisation with code %(code)s.") % {"code": code})
        return organization

    def handle(self, *args, **options):
        organization = self._organization(options["code"])
        on = options["date"] or timezone.localdate()
        try:
            if options["into"]:
                into = self._organization(options["into"])
                organization_merge(
                    organization=organization, into=into, on=on, reason=options["reason"]
                )
                message = _("%(name)s is merged into %(into)s.") % {
                    "name": organization.name,
                    "into": into.name,
                }
            else:
                organization_close(organization=organization, on=on, reason=options["reason"])
                message = _("%(name)s is closed.") % {"name": organization.name}
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(message))

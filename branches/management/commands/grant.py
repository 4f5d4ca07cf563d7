from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from branches.models import Organization, Role
from branches.services import user_grant


class Command(BaseCommand):
    help = "Create or update a user and attach them to an organisation with a role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--org", required=True, help="organisation code")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="set this password (otherwise left unchanged)")

    def handle(self, *args, **options):
        organization = Organization.objects.filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(_("No organisation with code %(code)s.") % {"code": options["org"]})
        try:
            user, created = user_grant(
                username=options["username"],
                organization=organization,
                role=options["role"],
                password=options["password"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        message = (
            _("Created %(user)s: %(role)s of %(org)s (%(code)s).")
            if created
            else _("Updated %(user)s: %(role)s of %(org)s (%(code)s).")
        )
        values = {
            "user": user.username,
            "role": Role(options["role"]).label,
            "org": organization.name,
            "code": organization.code,
        }
        self.stdout.write(self.style.SUCCESS(message % values))

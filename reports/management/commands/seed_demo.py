from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from branches import demo as tree_demo
from branches.models import Organization
from members import demo as member_demo
from members.models import Member
from members.moves import demo as demo_moves
from members.numbers import demo as demo_numbers
from members.status import demo as demo_status
from reports import demo as campaign_demo
from reports import demo_schools
from reports.registration import demo as registration_demo
from reports.rollups import maintain as rollups
from reports.statistics import demo as statistics_demo


class Command(BaseCommand):
    help = "Build the demo province of the 2019 notice and print one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=3000, help="how many members to create")
        parser.add_argument("--force", action="store_true", help="run even with DJANGO_DEBUG=0")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only seed an empty database; otherwise just print the logins",
        )
        parser.add_argument("--reset", action="store_true", help="empty the database first")
        parser.add_argument("--seed", type=int, default=2019, help="random seed")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _("Refusing to load demo data with DJANGO_DEBUG=0; add --force if you mean it.")
            )
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        if Organization.objects.exists():
            if options["if_empty"]:
                self.print_logins()
                return
            raise CommandError(
                _("The database already holds organisations; use --reset to rebuild the demo.")
            )
        with transaction.atomic():
            # The roll-ups are left aside while the bulk of the demo is written, then counted
            # once, set-based; what comes after reads figures and keeps them up to date.
            with rollups.paused():
                self.build(options["members"], options["seed"])
            rollups.rebuild()
            campaign_demo.build_approval()  # after the schools' figures: it freezes tables
            statistics_demo.build_statistics()  # last: it freezes last year's figures
        self.stdout.write(
            _("Demo province created: %(orgs)d organisations, %(members)d members.")
            % {"orgs": Organization.objects.count(), "members": Member.objects.count()}
        )
        self.print_logins()

    def build(self, members, seed):
        tree_demo.build_tree(seed=seed)
        tree_demo.create_logins()
        tree_demo.build_cadres(seed=seed)
        member_demo.build_members(members, seed=seed)
        demo_numbers.build_numbering(seed=seed)
        campaign_demo.build_campaigns()
        campaign_demo.build_issuers()
        demo_moves.build_moves(seed=seed)  # after the members exist
        tree_demo.build_closed_class()  # after the members, which would fill it
        demo_status.build_statuses(seed=seed)  # after the moves
        demo_schools.build_education_counts()
        registration_demo.build_registration_year(seed=seed)  # after statuses

    def print_logins(self):
        self.stdout.write(
            _("Demo logins (password for all: %(password)s):")
            % {"password": tree_demo.DEMO_PASSWORD}
        )
        for login in tree_demo.DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<12} {login.role.label:<10} {login.note}")

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from members.models.moves import expiry_days
from members.moves.transfers import moves_expire
from members.tasks import expire_moves


class Command(BaseCommand):
    help = (
        "Mark expired the moves into the system left unanswered for MOVE_EXPIRY_DAYS (run daily "
        "from cron, or with --enqueue to hand the run to the task worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the run for the task worker instead."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            expire_moves.enqueue()
            self.stdout.write(_("The expiry run is queued."))
            return
        count = moves_expire()
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d moves unanswered for %(days)d days are marked expired.")
                % {"count": count, "days": expiry_days()}
            )
        )

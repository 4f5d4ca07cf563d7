from django.core.management.base import BaseCommand

from reports.daily import daily_run


class Command(BaseCommand):
    help = (
        "Send deadline reminders and the daily notification digest by e-mail (for cron, where "
        "no task worker runs); --schedule queues the daily task in the task worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily digest task (it then queues itself each day).",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            from reports.tasks import schedule_notification_digest

            result = schedule_notification_digest()
            self.stdout.write("queued" if result else "this task backend cannot run tasks later")
            return
        sent = daily_run()
        self.stdout.write(f"{sent} e-mail(s) sent")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from branches.services import register_school_code_places
        from members.moves.transfers import register_figures_reader
        from members.watch import register_event_listener, register_write_guard
        from reports import admin_schools  # noqa: F401  (registers the school admins)
        from reports.metrics.transfers import transfer_figures_of
        from reports.notifications import notify_move
        from reports.registration import admin  # noqa: F401  (registers the registration admins)
        from reports.schools.lines import education_places
        from reports.submissions.approval import guard_accepted_records
        from reports.submissions.exporting import export_response
        from spreadsheets import exporting

        # Every file download, in this app and in the apps below it, goes through this one.
        exporting.install(export_response)
        # Only provincial staff move an education row out of another city's reconciliation.
        register_school_code_places(education_places)
        # Writes to records an accepted submission contains are recorded, or refused when locked.
        register_write_guard(guard_accepted_records)
        # Moves sent into an organisation and refusals are notified.
        register_event_listener(notify_move)
        # The moves pages show the transfer figures, which are the reports app's.
        register_figures_reader(transfer_figures_of)

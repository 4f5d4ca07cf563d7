from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # The figure groups register first, in the order their columns appear.
        from reports.metrics import entries, graduation, ledger, moves, schools, transfers  # noqa: F401

        # isort: split
        from reports.metrics import (
            cadres,  # noqa: F401  (registration, after the others)
            status,  # noqa: F401  (registration, after the cadres)
        )

        # isort: split
        from reports.metrics import registration  # noqa: F401  (only for registration years)

        # isort: split
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
        from reports.tables import register_all
        from spreadsheets import exporting

        # Every file download, in this app and in the apps below it, goes through this one.
        exporting.install(export_response)
        # Only provincial staff move an education row out of another city's reconciliation.
        register_school_code_places(education_places)
        # The official tables register with the shared registry (spreadsheets.tables).
        register_all()
        # Writes to records an accepted submission contains are recorded, or refused when locked.
        register_write_guard(guard_accepted_records)
        # The figure roll-ups follow every write: single ones by signal, bulk ones and rebuilds
        # as members.tallies reports them, moves of subtrees by organization_moved.
        from branches.signals import organization_moved
        from members.tallies import register_count_listener
        from reports.rollups import maintain
        from reports.rollups import signals as rollup_signals

        rollup_signals.connect()
        register_count_listener(
            maintain.refresh, rebuild=maintain.rebuild, check=maintain.difference_lines
        )
        organization_moved.connect(maintain.follow_move, dispatch_uid="rollups_follow_move")
        # Moves sent into an organisation and refusals are notified.
        register_event_listener(notify_move)
        # The moves pages show the transfer figures, which are the reports app's.
        register_figures_reader(transfer_figures_of)

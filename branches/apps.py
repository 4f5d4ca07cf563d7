from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organisations")

    def ready(self):
        from branches import signals  # noqa: F401
        from branches.tables import register_all

        # The official tables register with the shared registry (spreadsheets.tables).
        register_all()

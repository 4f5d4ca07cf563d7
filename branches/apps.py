from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    default = True
    name = "branches"
    verbose_name = _("Organisations")

    def ready(self):
        from branches import signals  # noqa: F401


class LeagueAdminConfig(admin_apps.AdminConfig):
    """The admin, with a menu that shows each role only what it can use."""

    default = False
    default_site = "branches.admin_site.LeagueAdminSite"

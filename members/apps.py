from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        # The number admins live in their own module beside the member admin.
        from members import admin_numbers  # noqa: F401

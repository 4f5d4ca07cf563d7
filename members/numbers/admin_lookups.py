"""The log of batch look-ups, read by those who read the export log (provincial staff)."""

from django.contrib import admin

from branches.admin_scoping import AuditLogAdminMixin
from members.models import LookupLog


@admin.register(LookupLog)
class LookupLogAdmin(AuditLogAdminMixin, admin.ModelAdmin):
    list_display = ["at", "username", "scope_code", "lines", "numbers", "id_numbers", "downloaded"]
    list_filter = ["downloaded"]
    search_fields = ["username", "scope_code"]
    date_hierarchy = "at"

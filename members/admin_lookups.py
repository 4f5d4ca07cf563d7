"""The log of batch look-ups, read by those who read the export log (provincial staff)."""

from django.contrib import admin

from branches import access
from members.models import LookupLog


@admin.register(LookupLog)
class LookupLogAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "scope_code", "lines", "numbers", "id_numbers", "downloaded"]
    list_filter = ["downloaded"]
    search_fields = ["username", "scope_code"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_module_permission(self, request):
        return access.can(request.user, access.Capability.READ_EXPORT_LOG)

    def has_view_permission(self, request, obj=None):
        return access.can(request.user, access.Capability.READ_EXPORT_LOG)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

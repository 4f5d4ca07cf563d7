"""Admin for moves (read-only records with history and the spreadsheet import). The organisation
list's graduation action is the organisation admin's own (``branches/admin.py``).

Moves change state on the moves pages, through :mod:`members.moves.services`; the admin shows them with
their history, scoped like every list, and imports them in bulk.
"""

from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from branches import access
from branches.admin_scoping import ScopedAdminMixin
from members.models import Move
from members.models.moves import overdue_q
from members.moves.importing import MOVE_IMPORT
from spreadsheets.admin import TableImportAdminMixin


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue")), ("no", _("not overdue"))]

    def queryset(self, request, queryset):
        overdue = overdue_q()
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


@admin.register(Move)
class MoveAdmin(ScopedAdminMixin, TableImportAdminMixin, SimpleHistoryAdmin):
    table_import = MOVE_IMPORT
    manage_capability = access.Capability.FOLLOW_MOVES
    list_display = [
        "member",
        "reason",
        "moved_on",
        "state",
        "destination_display",
        "developing_organization",
        "from_branch",
    ]
    list_filter = ["state", OverdueFilter, "reason", "destination_kind"]
    search_fields = ["member__name", "=member__id_number", "destination_organization__code"]
    list_select_related = [
        "member",
        "member__developing_organization",
        "from_branch",
        "destination_organization",
    ]
    date_hierarchy = "moved_on"
    show_full_result_count = False

    # The list, the object URLs and the view permission follow the move rule of branches.access.
    scope_paths = access.MOVE_ORGANIZATIONS

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.display(description=_("destination"))
    def destination_display(self, obj):
        return obj.destination_display

    @admin.display(description=_("developing organisation"))
    def developing_organization(self, obj):
        return obj.member.developing_organization

    def has_add_permission(self, request):
        return access.can(request.user, access.Capability.FOLLOW_MOVES)

    def add_view(self, request, form_url="", extra_context=None):
        # One form records a move, the moves page's, which calls the same service.
        return redirect("moves:new")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

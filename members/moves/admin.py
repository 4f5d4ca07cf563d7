"""Admin for moves (read-only records with history and the spreadsheet import), and the
organisation list's action that sends chosen class branches to the graduation dates page.

Moves change state on the moves pages, through :mod:`members.moves.services`; the admin shows them with
their history, scoped like every list, and imports them in bulk.
"""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from branches import access
from branches.admin_scoping import ScopedAdminMixin
from branches.models import Organization
from members.models import Move
from members.models.moves import overdue_q
from members.moves.importing import MOVE_IMPORT
from spreadsheets.admin import TableImportAdminMixin

GRADUATION_ACTION_LIMIT = 300


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue")), ("no", _("not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_q())
        if self.value() == "no":
            return queryset.exclude(overdue_q())
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

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.display(description=_("destination"))
    def destination_display(self, obj):
        return obj.destination_display

    @admin.display(description=_("developing organisation"))
    def developing_organization(self, obj):
        return obj.member.developing_organization

    def has_view_permission(self, request, obj=None):
        if access.role_of(request.user) is None:
            return False
        if obj is None:
            return True
        return any(
            access.is_in_scope(request.user, organization)
            for organization in (
                obj.member.developing_organization,
                obj.from_branch,
                obj.destination_organization,
            )
        )

    def has_add_permission(self, request):
        return access.can(request.user, access.Capability.FOLLOW_MOVES)

    def add_view(self, request, form_url="", extra_context=None):
        # One form records a move, the moves page's, which calls the same service.
        return redirect("moves:new")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("Set graduation dates of the chosen class branches"))
def set_graduation_dates(modeladmin, request, queryset):
    """Open the graduation dates page with the chosen class branches."""
    ids = list(
        queryset.class_branches().values_list("pk", flat=True)[: GRADUATION_ACTION_LIMIT + 1]
    )
    if not ids:
        messages.warning(request, _("None of the chosen organisations is a student class branch."))
        return None
    if len(ids) > GRADUATION_ACTION_LIMIT:
        messages.error(
            request,
            _("Choose at most %(limit)d class branches at a time.")
            % {"limit": GRADUATION_ACTION_LIMIT},
        )
        return None
    return redirect(f"{reverse('moves:graduation')}?ids={','.join(str(pk) for pk in ids)}")


set_graduation_dates.allowed_permissions = ("set_graduation",)


def install_organization_action(site=admin.site):
    """Add the graduation action to the registered organisation admin, without editing it."""
    model_admin = site.get_model_admin(Organization)
    if set_graduation_dates in (model_admin.actions or []):
        return
    model_admin.actions = [*(model_admin.actions or []), set_graduation_dates]
    model_admin.has_set_graduation_permission = lambda request: access.can(
        request.user, access.Capability.SET_GRADUATION
    )


install_organization_action()

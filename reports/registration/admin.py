"""Registration years in the admin: read-only lists with their history, scoped like the rest.

Results and certification are written on the registration pages, through the services; the
admin shows what was recorded and who changed what.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from branches.admin_scoping import ScopedAdminMixin, SubtreeFilter
from reports.models import BranchRegistration, MemberRegistration


class BranchSubtreeFilter(SubtreeFilter):
    via = "branch__"


@admin.register(BranchRegistration)
class BranchRegistrationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "branch__"
    list_display = [
        "branch",
        "campaign",
        "status",
        "submitted_at",
        "late",
        "reviewed_at",
        "return_reason",
    ]
    list_select_related = ["branch", "campaign"]
    list_filter = ["campaign", "status", "late", BranchSubtreeFilter]
    search_fields = ["branch__name", "branch__code"]


@admin.register(MemberRegistration)
class MemberRegistrationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "branch__"
    list_display = ["member", "branch", "campaign", "result", "reason", "grade", "recorded_at"]
    list_select_related = ["member", "branch", "campaign"]
    list_filter = ["campaign", "result", "grade", BranchSubtreeFilter]
    search_fields = ["member__name", "branch__name", "branch__code"]
    show_full_result_count = False

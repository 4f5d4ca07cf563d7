from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from branches import access
from branches.admin_scoping import AuditLogAdminMixin, ScopedAdminMixin
from reports.forms import CampaignForm
from reports.models import (
    Campaign,
    CampaignForward,
    ExportLog,
    Issuer,
    Snapshot,
    Submission,
    SubmissionFile,
)
from reports.ranking import percent
from reports.snapshots import snapshot_take
from reports.tasks import schedule_deadline_snapshot


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    """Provincial staff set the campaigns; everyone with a role reads them."""

    form = CampaignForm
    list_display = [
        "campaign_name",
        "year",
        "deadline",
        "metric",
        "threshold_percent",
        "direction",
        "ranked_kind",
        "is_active",
    ]
    list_filter = ["year", "kind", "is_active", "metric"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["take_snapshot"]

    @admin.display(description=_("Campaign name"), ordering="name")
    def campaign_name(self, obj):
        return obj.name

    @admin.display(description=_("Threshold (%)"), ordering="threshold")
    def threshold_percent(self, obj):
        return "—" if obj.threshold is None else percent(obj.threshold)

    def _read_only(self, request, obj):
        return obj is not None and not self.has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._read_only(request, obj):
            readonly.append("threshold_percent")
        return readonly

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._read_only(request, obj):
            # the threshold as the form enters it, in percent, in its own place
            fields = [name for name in fields if name != "threshold_percent"]
            fields = ["threshold_percent" if name == "threshold" else name for name in fields]
        return fields

    def has_module_permission(self, request):
        return access.role_of(request.user) is not None

    def has_view_permission(self, request, obj=None):
        return access.role_of(request.user) is not None

    def has_add_permission(self, request):
        return access.can(request.user, access.Capability.MANAGE_CAMPAIGNS)

    def has_change_permission(self, request, obj=None):
        return access.can(request.user, access.Capability.MANAGE_CAMPAIGNS)

    has_delete_permission = has_change_permission

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "deadline" in form.changed_data:
            schedule_deadline_snapshot(obj)

    @admin.action(description=_("Take a snapshot of the figures now"))
    def take_snapshot(self, request, queryset):
        if not access.can(request.user, access.Capability.MANAGE_CAMPAIGNS):
            return
        for campaign in queryset:
            snapshot_take(campaign=campaign)
        messages.success(request, _("Snapshots taken."))


@admin.register(CampaignForward)
class CampaignForwardAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """A committee forwards a campaign to its subtree with an earlier deadline of its own."""

    scope_via = "organization__"
    manage_capability = access.Capability.FORWARD_CAMPAIGNS
    list_display = [
        "campaign",
        "organization",
        "internal_deadline",
        "contact_person",
        "contact_phone",
    ]
    list_select_related = ["campaign", "organization"]
    list_filter = ["campaign"]
    autocomplete_fields = ["organization"]

    def organization_choices(self, request, db_field):
        if access.sees_everything(request.user):
            return super().organization_choices(request, db_field)
        home = access.home_organization(request.user)
        return type(home).objects.filter(pk=home.pk)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        home = access.home_organization(request.user)
        if home is not None:
            initial.setdefault("organization", home.pk)
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.forwarded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["campaign", "taken_on", "taken_at", "automatic"]
    list_filter = ["campaign", "automatic"]

    def has_module_permission(self, request):
        return access.can(request.user, access.Capability.VIEW_DASHBOARD)

    def has_view_permission(self, request, obj=None):
        return access.can(request.user, access.Capability.VIEW_DASHBOARD)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return access.can(request.user, access.Capability.MANAGE_CAMPAIGNS)


@admin.register(Issuer)
class IssuerAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Committees upload their own seal (PNG, size checked) and name their contact person."""

    scope_via = "organization__"
    manage_capability = access.Capability.SUBMIT
    list_display = ["organization", "contact_person", "contact_phone", "has_seal", "updated_at"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    search_fields = ["organization__name", "organization__code"]

    def organization_choices(self, request, db_field):
        if access.sees_everything(request.user):
            return super().organization_choices(request, db_field)
        home = access.home_organization(request.user)
        return type(home).objects.filter(pk=home.pk)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not access.sees_everything(request.user):
            return obj.organization == access.home_organization(
                request.user
            ) and super().has_change_permission(request, obj)
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    @admin.display(boolean=True, description=_("seal"))
    def has_seal(self, obj):
        return bool(obj.seal)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ExportLog)
class ExportLogAdmin(AuditLogAdminMixin, admin.ModelAdmin):
    """Provincial staff read who exported what."""

    list_display = ["created_at", "user", "kind", "organization_code", "rows", "stamped", "channel"]
    list_filter = ["kind", "channel", "stamped"]
    search_fields = ["organization_code", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "file", "rows", "digest", "verification_code"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A read-only record of every version sent up; decisions are taken on the submission page."""

    scope_via = "organization__"
    list_display = [
        "organization",
        "campaign",
        "version",
        "status",
        "submitted_at",
        "submitted_by",
        "reviewed_by",
    ]
    list_filter = ["campaign", "status"]
    list_select_related = ["organization", "campaign", "submitted_by", "reviewed_by"]
    search_fields = ["organization__name", "organization__code"]
    inlines = [SubmissionFileInline]
    readonly_fields = [
        "campaign",
        "organization",
        "version",
        "status",
        "submitted_by",
        "submitted_at",
        "deadline",
        "note",
        "reviewed_by",
        "reviewed_at",
        "return_reason",
        "rows_total",
        "rows_done",
        "error",
    ]

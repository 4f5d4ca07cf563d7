"""Admin of the education department's school figures (provincial staff import them) and of the
gap explanations (read here; committees write them on the reconciliation page)."""

import copy

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from branches import access
from members.watch import guard_write, write_refusal
from reports import schools
from reports.models import EducationCount, Explanation
from reports.models.schools import FIRST_YEAR, LAST_YEAR
from reports.schools.changes import education_records, education_snapshot
from reports.tables.school_counts import current_year, education_import
from spreadsheets.admin import TableImportAdminMixin


class MatchedFilter(admin.SimpleListFilter):
    title = _("organisation in the tree")
    parameter_name = "matched"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("matched")),
            ("no", _("absent from the tree (organisational blank)")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(organization_id__isnull=False)
        if self.value() == "no":
            return queryset.filter(organization_id__isnull=True)
        return queryset


def _import_year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return current_year()
    return year if FIRST_YEAR <= year <= LAST_YEAR else current_year()


def _deleted_records(rows):
    """The watched records of deleting ``rows`` (education figures, possibly of several years)."""
    records = []
    for year in sorted({row.year for row in rows}):
        codes = [row.school_code for row in rows if row.year == year]
        records += education_records(year, education_snapshot(year, codes), {})
    return records


@admin.register(EducationCount)
class EducationCountAdmin(TableImportAdminMixin, SimpleHistoryAdmin):
    """Only provincial staff see and import the figures; rows change only by importing."""

    list_display = [
        "year",
        "school_code",
        "school_name",
        "ownership",
        "city_name",
        "education_count",
        "matched_organization",
        "imported_at",
    ]
    list_filter = ["year", "ownership", MatchedFilter]
    search_fields = ["school_code", "school_name", "city_name"]
    list_per_page = 100
    show_full_result_count = False
    #: the year an import page works on; each request gets its own copy (see table_import_view)
    import_year = None

    @property
    def table_import(self):
        return education_import(self.import_year or current_year())

    def get_queryset(self, request):
        return super().get_queryset(request).with_match()

    @admin.display(description=_("organisation"))
    def matched_organization(self, obj):
        return obj.organization_name or _("— absent from the tree —")

    def _allowed(self, request):
        return access.can(request.user, access.Capability.IMPORT_EDUCATION)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A school an accepted, locked submission holds stays until the level above reopens it.
        if obj is not None and write_refusal(
            kind="education_count", records=_deleted_records([obj])
        ):
            return False
        return self._allowed(request)

    def delete_model(self, request, obj):
        self.delete_queryset(request, EducationCount.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        """Deleting figures is watched like importing them; under a lock nothing is deleted."""
        try:
            with transaction.atomic():
                records = _deleted_records(queryset)
                queryset.delete()
                guard_write(
                    kind="education_count", action="deleted", records=records, user=request.user
                )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def has_import_permission(self, request):
        return self._allowed(request)

    def export_organization(self, request):
        return access.home_organization(request.user)

    def table_import_view(self, request):
        # The ModelAdmin instance is shared by every request: the year goes on a copy.
        scoped = copy.copy(self)
        scoped.import_year = _import_year(request)
        response = TableImportAdminMixin.table_import_view(scoped, request)
        if isinstance(response, TemplateResponse):
            response.template_name = "reports/schools/admin_import.html"
            response.context_data.update(
                import_year=scoped.import_year, known_years=schools.education_years()
            )
        return response


@admin.register(Explanation)
class ExplanationAdmin(SimpleHistoryAdmin):
    """Provincial staff read every explanation and its history here."""

    list_display = ["year", "subject", "school_code", "organization", "written_by", "written_at"]
    list_filter = ["year", "subject"]
    list_select_related = ["organization", "written_by"]
    search_fields = ["school_code", "organization__name", "text"]
    readonly_fields = ["year", "subject", "school_code", "organization", "text"]

    def _allowed(self, request):
        return access.sees_everything(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

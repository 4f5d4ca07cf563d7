import dataclasses
from datetime import date
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from branches import access
from branches.admin_scoping import ScopedAdminMixin, SubtreeFilter
from members import id_numbers, privacy, services
from members.forms import MEMBER_FORM_FIELDS, MemberForm
from members.importing import ROSTER_IMPORT
from members.models import BRANCH_KINDS, Member
from members.tables import roster
from members.validators import normalize_id_number
from members.watch import member_record, stored_member_places, write_refusal
from members.widgets import DevelopmentNumberWidget
from spreadsheets.admin import TableImportAdminMixin
from spreadsheets.exporting import export_response
from youthleague.pagination import EstimatedCountPaginator

#: beyond this many branches the branch filter offers only the one chosen (by URL)
BRANCH_FILTER_LIMIT = 50


class BranchFilter(admin.SimpleListFilter):
    title = _("current branch")
    parameter_name = "branch"

    def lookups(self, request, model_admin):
        branches = list(
            access.visible_organizations(request.user)
            .filter(kind__in=BRANCH_KINDS)
            .values_list("code", "name")[: BRANCH_FILTER_LIMIT + 1]
        )
        if len(branches) > BRANCH_FILTER_LIMIT:
            code = self.value()
            return [(code, code)] if code else []
        return branches

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(branch__code=self.value())
        return queryset


class UnderFilter(SubtreeFilter):
    """Members whose current branch lies under one organisation (``?under=CODE``)."""

    via = "branch__"


class JoinYearFilter(admin.SimpleListFilter):
    title = _("join year")
    parameter_name = "joined"
    EARLIER = "earlier"

    def lookups(self, request, model_admin):
        first = roster.default_since().year
        years = [(str(year), str(year)) for year in range(date.today().year, first - 1, -1)]
        return [*years, (self.EARLIER, _("before %(year)d") % {"year": first})]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.EARLIER:
            return queryset.filter(join_date__lt=roster.default_since())
        if value and value.isdigit():
            return queryset.filter(join_date__year=int(value))
        return queryset


class EntryFilter(admin.SimpleListFilter):
    title = _("entry")
    parameter_name = "entry"

    def lookups(self, request, model_admin):
        return [
            ("on_time", _("entered on time")),
            ("late", _("entered late")),
            ("no_deadline", _("no entry deadline")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "on_time":
            return queryset.under_entry_deadline().filter(entered_late=False)
        if self.value() == "late":
            return queryset.entered_late()
        if self.value() == "no_deadline":
            return queryset.filter(entry_deadline__isnull=True)
        return queryset


class MaskingContextHelper(HistoricalRecordContextHelper):
    """History deltas that show ID numbers masked and ages for birth dates, for readers who do
    not edit the record (:mod:`members.privacy`)."""

    def format_delta_change(self, change):
        formatted = super().format_delta_change(change)
        if change.field == "id_number":
            return dataclasses.replace(
                formatted,
                old=privacy.mask_id_number(change.old),
                new=privacy.mask_id_number(change.new),
            )
        if change.field == "birth_date":
            return dataclasses.replace(
                formatted, old=privacy.age_text(change.old), new=privacy.age_text(change.new)
            )
        return formatted


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, TableImportAdminMixin, SimpleHistoryAdmin):
    """Members for branch secretaries: entry in Chinese, scoped lists, history, roster I/O."""

    form = MemberForm
    table_import = ROSTER_IMPORT
    manage_capability = access.Capability.ENTER_MEMBERS
    scope_via = "branch__"
    # The entry status sits by the dates it judges, inside the first screen at 1366 px.
    list_display = [
        "name_link",
        "gender",
        "id_number_shown",
        "join_date",
        "entered_on",
        "entry_status",
        "development_number_shown",
        "identity",
        "branch",
        "status",
    ]
    list_display_links = None
    change_list_template = "admin/members/member_list.html"
    list_select_related = ["branch"]
    list_filter = [BranchFilter, UnderFilter, JoinYearFilter, "identity", EntryFilter, "status"]
    search_fields = ["name", "id_number", "development_number", "name_initials"]
    search_help_text = _(
        "The start of a name (张晓 finds 张晓明), pinyin initials (zxm), a whole ID number (its "
        "first digits among the members you enter), or a 12-digit development number."
    )
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Facet counts are one more count per filter choice, over a province's millions of rows.
    show_facets = admin.ShowFacets.NEVER
    # No actions, not even the site-wide bulk deletion: it would reach members the user only
    # reads (developed here, now elsewhere) and bypass the delete service.
    actions = None
    #: the development number's input, with the button that takes the next free number
    development_number_widget = DevelopmentNumberWidget

    # --- scope ----------------------------------------------------------------------------------

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        if access.role_of(request.user) is None:
            return False
        if obj is None:
            return True
        return access.is_in_scope(request.user, obj.branch) or access.is_in_scope(
            request.user, obj.developing_organization
        )

    def organization_choices(self, request, db_field):
        organizations = access.pickable_organizations(request.user)
        if db_field.name == "branch":
            if not access.can(request.user, access.Capability.ENTER_MEMBERS):
                return organizations.none()
            return organizations.filter(kind__in=BRANCH_KINDS)
        return organizations

    def get_autocomplete_fields(self, request):
        # A province holds ~100,000 organisations: too many for a drop-down.
        if access.sees_everything(request.user):
            return ["branch", "developing_organization"]
        return []

    # --- the form -------------------------------------------------------------------------------

    def _masks(self, request, obj):
        return obj is not None and not privacy.sees_full(request.user, obj)

    def get_fields(self, request, obj=None):
        fields = list(MEMBER_FORM_FIELDS)
        if self._masks(request, obj):
            fields[fields.index("id_number")] = "id_number_masked"
            fields[fields.index("birth_date")] = "age_shown"
        if obj is not None:
            fields += ["entered_at", "entry_deadline", "entered_late", "status_shown"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = ["entered_at", "entry_deadline", "entered_late", "status_shown"]
        if self._masks(request, obj):
            readonly += ["id_number_masked", "age_shown"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        widget = self.development_number_widget
        if widget is not None and "development_number" in form.base_fields:
            form.base_fields["development_number"].widget = (
                widget() if isinstance(widget, type) else widget
            )
        return form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        home = access.home_organization(request.user)
        if home is not None and home.is_branch:
            initial.setdefault("branch", home.pk)
            initial.setdefault("developing_organization", home.pk)
        return initial

    @admin.display(description=_("status"))
    def status_shown(self, obj):
        """The status, linked to the page where it changes (exits go through a service)."""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("members:status", args=[obj.pk]),
            obj.get_status_display(),
        )

    def save_model(self, request, obj, form, change):
        if change:
            services.member_update(member=obj, user=request.user)
        else:
            services.member_create(member=obj, user=request.user)
        if getattr(form, "removed_invisible", False):
            self.message_user(
                request,
                _(
                    "Invisible characters (such as a zero-width space) were removed from the ID number."
                ),
                messages.INFO,
            )
        for note in id_numbers.id_number_notes(obj.id_number, obj.document_type):
            self.message_user(request, note, messages.INFO)

    def has_delete_permission(self, request, obj=None):
        # A member an accepted submission locks stays until the level above reopens it.
        if obj is not None and write_refusal(
            kind="member", records=[member_record(obj, *stored_member_places(obj))]
        ):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.member_delete(member=obj, user=request.user)

    # --- the list -------------------------------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        """One indexed look-up per kind of term: an ID number, a development number, pinyin
        initials, or the start of a name (a substring search would read every member)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        compact = normalize_id_number(term)
        if compact.isdigit() and len(compact) == 12:
            return queryset.filter(development_number=int(compact)), False
        if (
            len(compact) >= 6
            and compact[:-1].isdigit()
            and (compact[-1].isdigit() or compact[-1] == "X")
        ):
            # The start of an ID number only among the records the user edits: elsewhere a
            # prefix search would spell out a masked number digit by digit.
            return queryset.filter(privacy.id_number_search_q(request.user, compact)), False
        if term.isascii() and term.isalpha():
            return queryset.filter(name_initials__startswith=term.lower()), False
        return queryset.filter(name__startswith=term), False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        for member in rows:
            member.editable = access.can(
                request.user, access.Capability.ENTER_MEMBERS, member.branch
            )
            member.id_number_display = privacy.id_number_for(request.user, member)
        changelist.result_list = rows
        return changelist

    @admin.display(description=Member._meta.get_field("id_number").verbose_name)
    def id_number_shown(self, obj):
        return getattr(obj, "id_number_display", None) or obj.masked_id_number

    @admin.display(description=Member._meta.get_field("id_number").verbose_name)
    def id_number_masked(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("age"))
    def age_shown(self, obj):
        return privacy.age_text(obj.birth_date)

    @admin.display(
        description=Member._meta.get_field("development_number").verbose_name,
        ordering="development_number",
    )
    def development_number_shown(self, obj):
        return obj.development_number_text or "—"

    @admin.display(description=_("entry"))
    def entry_status(self, obj):
        if obj.entry_deadline is None:
            return "—"
        if obj.entered_late:
            return format_html('<span class="late">{}</span>', _("entered late"))
        return format_html('<span class="on-time">{}</span>', _("entered on time"))

    @admin.display(description=pgettext_lazy("member", "name"), ordering="name")
    def name_link(self, obj):
        """The name, linked to the member's read-only page (record, history, moves)."""
        return format_html(
            '<a href="{}">{}</a>', reverse("members:detail", args=[obj.pk]), obj.name
        )

    @admin.display(
        description=Member._meta.get_field("entered_at").verbose_name, ordering="entered_at"
    )
    def entered_on(self, obj):
        return date_format(timezone.localtime(obj.entered_at), "SHORT_DATE_FORMAT")

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        info = self.opts.app_label, self.opts.model_name
        export_url = reverse("admin:{}_{}_roster_export".format(*info))
        if request.GET.get(UnderFilter.parameter_name):
            export_url += "?" + urlencode({"org": request.GET[UnderFilter.parameter_name]})
        extra_context.setdefault("extra_tools", []).append(
            {"url": export_url, "label": _("Export roster (table 1-1)")}
        )
        return super().changelist_view(request, extra_context)

    # --- history --------------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        request.mask_id_numbers = self._masks(request, obj)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, obj):
            # A past version shows the full ID number: only for those who edit the record.
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        if getattr(request, "mask_id_numbers", True):
            return MaskingContextHelper(self.model, historical_record)
        return super().get_historical_record_context_helper(request, historical_record)

    # --- roster export --------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.roster_export_view),
                name="{}_{}_roster_export".format(*info),
            ),
            *super().get_urls(),
        ]

    def roster_export_view(self, request):
        """Table 1-1 of an organisation in the user's scope (``?org=CODE``, default their own)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        code = request.GET.get("org") or getattr(
            access.home_organization(request.user), "code", None
        )
        organization = access.organization_for(request.user, code)
        since = request.GET.get("since")
        options = {"since": int(since)} if since and since.isdigit() else {}
        # Logged, and prepared by the task worker with visible progress when it is large.
        return export_response(request, kind="roster", organization=organization, options=options)

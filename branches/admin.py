from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from branches import access, services
from branches.admin_scoping import ScopedAdminMixin, SubtreeFilter, autocomplete_choices
from branches.forms import OrganizationForm
from branches.importing import ORGANIZATION_IMPORT
from branches.models import Cadre, Organization
from branches.tables.cadres import CADRE_IMPORT
from spreadsheets.admin import TableImportAdminMixin

#: class branches one use of the graduation action may choose
GRADUATION_ACTION_LIMIT = 300

admin.site.site_header = _("Youth League membership records")
admin.site.site_title = _("Youth League membership records")
admin.site.index_title = _("Records (admin)")


class DepthFilter(admin.SimpleListFilter):
    title = _("level in the tree")
    parameter_name = "depth"

    def lookups(self, request, model_admin):
        return [(str(depth), _("level %(depth)d") % {"depth": depth}) for depth in range(1, 8)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(depth=int(self.value()))
        return queryset


class GraduationFilter(admin.SimpleListFilter):
    title = _("graduation date")
    parameter_name = "graduation"

    def lookups(self, request, model_admin):
        return [
            ("filled", _("class branches with a date or a reason")),
            ("missing", _("class branches still missing it")),
        ]

    def queryset(self, request, queryset):
        missing = Q(graduation_date__isnull=True, no_graduation_reason="")
        if self.value() == "missing":
            return queryset.class_branches().filter(missing)
        if self.value() == "filled":
            return queryset.class_branches().exclude(missing)
        return queryset


class StatusFilter(admin.SimpleListFilter):
    title = _("organisation status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("open", _("in use")),
            ("closed", _("closed (撤销)")),
            ("merged", _("merged into another")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.current()
        if self.value() == "closed":
            return queryset.closed()
        if self.value() == "merged":
            return queryset.filter(status=Organization.Status.MERGED)
        return queryset


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, TableImportAdminMixin, SimpleHistoryAdmin):
    form = OrganizationForm
    table_import = ORGANIZATION_IMPORT
    manage_capability = access.Capability.MANAGE_ORGANIZATIONS
    list_display = [
        "code",
        "tree_name",
        "kind",
        "sector",
        "tree_position",
        "school_code",
        "ownership",
        "graduation_date",
        "secretary_name",
        "status",
    ]
    list_display_links = ["code", "tree_name"]
    list_filter = [
        SubtreeFilter,
        StatusFilter,
        DepthFilter,
        "kind",
        "sector",
        "ownership",
        GraduationFilter,
    ]
    search_fields = ["code", "name", "school_code"]
    ordering = ["path"]
    list_per_page = 50
    show_full_result_count = False
    # Not the site-wide bulk delete: it would bypass the leaf-only rule.
    actions = ["close_today", "set_graduation_dates"]
    fieldsets = [
        (None, {"fields": ["code", "name", "parent_code", "kind", "sector", "opened_on"]}),
        (_("School"), {"fields": ["school_code", "ownership"]}),
        (_("Class branch"), {"fields": ["graduation_date", "no_graduation_reason"]}),
        (_("Secretary"), {"fields": ["secretary_name", "secretary_phone"]}),
        (
            _("Closing"),
            {"fields": ["status", "closed_on", "closing_reason", "merged_into"]},
        ),
    ]
    readonly_fields = ["status", "closed_on", "closing_reason", "merged_into"]

    def get_queryset(self, request):
        # Branch names repeat across schools: the list shows each with its parent's name.
        return super().get_queryset(request).with_parent_name()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not access.can(request.user, self.manage_capability):
            actions.pop("close_today", None)
        return actions

    @admin.action(description=_("Close (撤销) the selected organisations today"))
    def close_today(self, request, queryset):
        closed = 0
        for organization in queryset.current().order_by("-depth", "path"):
            try:
                services.organization_close(
                    organization=organization, on=timezone.localdate(), user=request.user
                )
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), messages.ERROR)
            else:
                closed += 1
        self.message_user(request, _("%(count)d organisation(s) closed.") % {"count": closed})

    @admin.action(
        description=_("Set graduation dates of the chosen class branches"),
        permissions=["set_graduation"],
    )
    def set_graduation_dates(self, request, queryset):
        """Open the graduation dates page (the moves' graduates pages) with the chosen class
        branches; graduation dates are organisation data, so the action is the tree's own."""
        ids = list(
            queryset.class_branches().values_list("pk", flat=True)[: GRADUATION_ACTION_LIMIT + 1]
        )
        if not ids:
            messages.warning(
                request, _("None of the chosen organisations is a student class branch.")
            )
            return None
        if len(ids) > GRADUATION_ACTION_LIMIT:
            messages.error(
                request,
                _("Choose at most %(limit)d class branches at a time.")
                % {"limit": GRADUATION_ACTION_LIMIT},
            )
            return None
        return redirect(f"{reverse('moves:graduation')}?ids={','.join(str(pk) for pk in ids)}")

    def has_set_graduation_permission(self, request):
        return access.can(request.user, access.Capability.SET_GRADUATION)

    def get_search_results(self, request, queryset, search_term):
        # A form's look-up (the admin's autocomplete) offers only organisations still open.
        if getattr(request.resolver_match, "url_name", "") == "autocomplete":
            # Only what the asking field may point to (open organisations in the user's scope,
            # narrowed by that form), named with their parent where names repeat.
            choices = autocomplete_choices(request, self.admin_site)
            queryset = queryset.current().filter(pk__in=choices.values("pk")).with_parent_name()
        return super().get_search_results(request, queryset, search_term)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        user = request.user

        class ScopedForm(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=user, **inner)

            def clean(self):
                cleaned = super().clean()
                if not self.errors:
                    try:
                        services.organization_check_placement(
                            organization=self.instance, parent=self.parent, user=user
                        )
                    except ValidationError as exc:
                        for message in exc.messages:
                            self.add_error("parent_code", message)
                if "school_code" not in self.errors:
                    try:
                        services.organization_check_school_code(
                            organization=self.instance,
                            user=user,
                            school_code=cleaned.get("school_code"),
                        )
                    except ValidationError as exc:
                        self.add_error(None, exc)
                return cleaned

        return ScopedForm

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "parent" in request.GET:
            initial["parent_code"] = request.GET["parent"]
        return initial

    def save_model(self, request, obj, form, change):
        services.organization_save(organization=obj, parent=form.parent, user=request.user)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return access.can(request.user, self.manage_capability)
        # Deleting a node would delete its whole subtree: only leaves go, one at a time. A
        # school whose education row is counted elsewhere would fall into that reconciliation.
        return (
            obj.numchild == 0
            and access.can_delete_organization(request.user, obj)
            and (
                not obj.school_code
                or services.school_code_attributable(user=request.user, code=obj.school_code)
            )
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        _attach_ancestry(request.user, rows)
        changelist.result_list = rows
        return changelist

    @admin.display(description=_("organisation name"), ordering="path")
    def tree_name(self, obj):
        return format_html(
            '<span class="tree-indent" style="padding-left:{}em">{}</span>',
            (obj.depth - 1) * 1.2,
            str(obj),
        )

    @admin.display(description=_("position in the tree"))
    def tree_position(self, obj):
        ancestry = getattr(obj, "ancestry", None) or []
        if not ancestry:
            return "—"
        changelist = reverse("admin:branches_organization_changelist")
        return format_html_join(
            " › ",
            '<a href="{}?under={}">{}</a>',
            ((changelist, code, name) for code, name in ancestry),
        )

    def response_add(self, request, obj, post_url_continue=None):
        messages.info(
            request,
            format_html(
                '<a href="{}?parent={}">{}</a>',
                reverse("admin:branches_organization_add"),
                obj.code,
                _("Add an organisation under this one"),
            ),
        )
        return super().response_add(request, obj, post_url_continue)


def _attach_ancestry(user, rows):
    """Give each row ``ancestry`` [(code, name), ...] root first: the ancestors the user may
    open, in one query for the page."""
    visible = access.visible_ancestors_of_many(user, rows)
    for row in rows:
        row.ancestry = [(ancestor.code, ancestor.name) for ancestor in visible[row.pk]]


class ActiveCadreFilter(admin.SimpleListFilter):
    title = _("in post")
    parameter_name = "in_post"

    def lookups(self, request, model_admin):
        return [("yes", _("in post")), ("no", _("post ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(ended_on__isnull=False)
        return queryset


class CadreSubtreeFilter(SubtreeFilter):
    via = "organization__"


@admin.register(Cadre)
class CadreAdmin(ScopedAdminMixin, TableImportAdminMixin, SimpleHistoryAdmin):
    """The cadre register of the user's subtree; writes go through the cadre services."""

    scope_via = "organization__"
    manage_capability = access.Capability.MANAGE_ORGANIZATIONS
    table_import = CADRE_IMPORT
    list_display = [
        "name",
        "position",
        "organization",
        "nature",
        "phone",
        "term",
        "term_end",
        "ended_on",
    ]
    list_select_related = ["organization"]
    list_filter = [CadreSubtreeFilter, ActiveCadreFilter, "position", "nature", "political_status"]
    search_fields = ["name", "organization__code", "organization__name"]
    autocomplete_fields = ["organization"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["end_posts_today"]
    fieldsets = [
        (None, {"fields": ["organization", "position", "nature", "on_party_committee"]}),
        (
            _("Personal details"),
            {
                "fields": [
                    "name",
                    "id_number",
                    "gender",
                    "birth_date",
                    "ethnicity",
                    "education",
                    "phone",
                    "political_status",
                ]
            },
        ),
        (_("Term"), {"fields": ["start_date", "term", "term_end", "ended_on"]}),
    ]

    def organization_choices(self, request, db_field):
        return access.manageable_organizations(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        services.cadre_save(cadre=obj, user=request.user)

    @admin.action(description=_("End the selected posts today"))
    def end_posts_today(self, request, queryset):
        ended = 0
        for cadre in queryset.filter(ended_on__isnull=True).select_related("organization"):
            try:
                services.cadre_end(cadre=cadre, ended_on=timezone.localdate(), user=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{cadre}：{'；'.join(exc.messages)}", messages.ERROR)
            else:
                ended += 1
        self.message_user(request, _("%(count)d post(s) ended.") % {"count": ended})


# The users' admin lives in its own module; importing it registers it.
from branches import admin_users  # noqa: E402, F401

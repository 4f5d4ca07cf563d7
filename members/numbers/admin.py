"""Admin for number ranges, the unused-number register and issued numbers.

Registered from ``MembersConfig.ready()``. Every list is scoped by :mod:`branches.access`
through :class:`ScopedAdminMixin`, and every write goes through :mod:`members.numbers.services`.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from branches import access
from branches.admin_scoping import ScopedAdminMixin
from members.models import IssuedNumber, NumberRange, UnusedNumber, format_number
from members.numbers import services as numbering
from members.numbers.forms import NumberRangeForm, UnusedNumberForm
from members.numbers.importing import RANGE_IMPORT, UNUSED_NUMBER_IMPORT
from members.watch import write_refusal
from spreadsheets.admin import TableImportAdminMixin


def _adopt(obj, saved):
    """Make the form's unsaved ``obj`` the row a service saved, for the admin's messages."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"
    field = "first"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in range(2017, 2031)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            year = int(self.value())
            return queryset.filter(
                **{f"{self.field}__gte": year * 10**8, f"{self.field}__lt": (year + 1) * 10**8}
            )
        return queryset


class IssuedYearFilter(YearFilter):
    field = "number"


class NumberAdminMixin:
    """Shared: forms built for the requesting user, service errors shown as messages."""

    scope_via = "organization__"
    actions = None  # no bulk delete: withdrawals go one by one through the services
    list_per_page = 50
    show_full_result_count = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        user = request.user

        class UserForm(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=user, **inner)

        return UserForm

    # "first": rows are spans [first, last]; "number": rows hold one number.
    number_search_field = "first"

    def get_search_results(self, request, queryset, search_term):
        """A 12-digit development number finds the row holding it; other terms search text."""
        digits = "".join(ch for ch in search_term if ch.isdigit())
        if len(digits) != 12:
            return super().get_search_results(request, queryset, search_term)
        number = int(digits)
        if self.number_search_field == "number":
            return queryset.filter(number=number), False
        return queryset.filter(first__lte=number, last__gte=number), False

    def extra_tools(self):
        return [
            {"url": reverse("members:ledger"), "label": _("Number ledger")},
            {"url": reverse("members:lookup"), "label": _("Batch look-up")},
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {"extra_tools": self.extra_tools(), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def _refuse(self, request, obj, exc):
        for message in exc.messages:
            self.message_user(request, message, messages.ERROR)
        info = self.model._meta.app_label, self.model._meta.model_name
        return HttpResponseRedirect(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))


@admin.register(NumberRange)
class NumberRangeAdmin(
    NumberAdminMixin, ScopedAdminMixin, TableImportAdminMixin, SimpleHistoryAdmin
):
    form = NumberRangeForm
    table_import = RANGE_IMPORT
    manage_capability = access.Capability.MANAGE_RANGES
    list_display = ["span", "organization", "year", "size", "created_by", "created_at"]
    list_filter = [YearFilter, "level"]
    search_fields = ["organization__code", "organization__name"]
    list_select_related = ["organization", "created_by"]
    ordering = ["first", "level"]

    @admin.display(description=_("number range"), ordering="first")
    def span(self, obj):
        return obj.span_text

    @admin.display(description=_("year"))
    def year(self, obj):
        return obj.year

    @admin.display(description=_("numbers"), ordering=F("last") - F("first"))
    def size(self, obj):
        return obj.size

    def get_readonly_fields(self, request, obj=None):
        return ["organization"] if obj is not None else []

    def _may_hand(self, request, obj):
        """Committees read the ranges handed to their own organisation but do not change them."""
        try:
            numbering.number_range_check_user(organization=obj.organization, user=request.user)
        except ValidationError:
            return False
        return True

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._may_hand(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._may_hand(request, obj))

    def organization_choices(self, request, db_field):
        organizations = super().organization_choices(request, db_field)
        root = access.scope_root(request.user)
        return organizations.exclude(pk=root.pk) if root is not None else organizations

    def save_model(self, request, obj, form, change):
        if change:
            numbering.number_range_update(
                number_range=obj, first=obj.first, last=obj.last, user=request.user
            )
        else:
            _adopt(
                obj,
                numbering.number_range_create(
                    organization=obj.organization,
                    first=obj.first,
                    last=obj.last,
                    user=request.user,
                ),
            )

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "POST" and self.has_delete_permission(request, obj):
            try:
                numbering.number_range_check_delete(number_range=obj, user=request.user)
            except ValidationError as exc:
                return self._refuse(request, obj, exc)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        numbering.number_range_delete(number_range=obj, user=request.user)


@admin.register(UnusedNumber)
class UnusedNumberAdmin(
    NumberAdminMixin, ScopedAdminMixin, TableImportAdminMixin, SimpleHistoryAdmin
):
    form = UnusedNumberForm
    table_import = UNUSED_NUMBER_IMPORT
    manage_capability = access.Capability.EXPLAIN
    list_display = [
        "span",
        "status",
        "short_explanation",
        "organization",
        "registered_by",
        "registered_at",
    ]
    list_filter = ["status", YearFilter]
    search_fields = ["organization__code", "organization__name", "explanation"]
    list_select_related = ["organization", "registered_by"]
    ordering = ["first"]

    @admin.display(description=_("development number"), ordering="first")
    def span(self, obj):
        return obj.span_text

    @admin.display(description=_("explanation"))
    def short_explanation(self, obj):
        text = obj.explanation
        return text if len(text) <= 40 else text[:39] + "…"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["first", "last", "status", "explanation"]
        return ["span", "organization", "status", "explanation", "registered_by", "registered_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["span", "organization", "registered_by", "registered_at"]

    def save_model(self, request, obj, form, change):
        if change:
            numbering.unused_number_update(
                entry=obj, status=obj.status, explanation=obj.explanation, user=request.user
            )
        else:
            _adopt(
                obj,
                numbering.unused_number_register(
                    first=obj.first,
                    last=obj.last,
                    status=obj.status,
                    explanation=obj.explanation,
                    user=request.user,
                ),
            )

    def has_delete_permission(self, request, obj=None):
        # An entry an accepted submission locks stays until the level above reopens it.
        if obj is not None and write_refusal(
            kind="unused_number", records=[numbering.watched_unused_number(obj)]
        ):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        numbering.unused_number_delete(entry=obj, user=request.user)


@admin.register(IssuedNumber)
class IssuedNumberAdmin(NumberAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """Numbers handed out by the next-free-number button; read-only, withdrawable."""

    manage_capability = access.Capability.MANAGE_RANGES
    list_display = [
        "number_text",
        "organization",
        "entered",
        "issued_by",
        "issued_at",
        "expires_at",
    ]
    list_filter = [IssuedYearFilter]
    search_fields = ["organization__code", "organization__name"]
    number_search_field = "number"
    list_select_related = ["organization", "issued_by"]
    ordering = ["number"]

    @admin.display(description=_("development number"), ordering="number")
    def number_text(self, obj):
        return format_number(obj.number)

    @admin.display(description=_("member entered"), boolean=True)
    def entered(self, obj):
        return obj.entered

    def get_queryset(self, request):
        return super().get_queryset(request).with_entered()

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Read-only rows: the admin's own form, which takes no user.
        return super(NumberAdminMixin, self).get_form(request, obj, change, **kwargs)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

"""The admin's side of :mod:`branches.access`: every scoped ModelAdmin mixes this in."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from branches import access
from branches.models import Organization


class ScopedAdminMixin:
    """Restrict a ModelAdmin to the user's subtree.

    ``scope_via`` is the lookup from the model to the organisation that decides visibility
    (``"branch__"``); empty for organisations themselves. Rows outside the scope are absent from
    lists and answer 404 at their object URLs (change, delete, history), and organisation
    choices in forms only offer what the user may use.
    """

    scope_via = ""
    #: the lookups to every organisation whose scope sees a row, when more than one does
    #: (``access.MEMBER_ORGANIZATIONS``); the first decides who manages it. Default: ``scope_via``.
    scope_paths = None
    #: capability needed to add, change or delete rows; viewing needs only a role
    manage_capability = None

    def get_scope_paths(self):
        """The one declaration the list, the object URLs and the permissions all follow."""
        if self.scope_paths is not None:
            return tuple(self.scope_paths)
        return (self.scope_via.removesuffix("__"),)

    def scope_queryset(self, request, queryset):
        return queryset.filter(access.any_in_scope_q(request.user, self.get_scope_paths()))

    def export_organization(self, request):
        """Files this admin hands out (templates, error reports) are logged against the user's
        own organisation."""
        return access.home_organization(request.user)

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object.")
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def organization_choices(self, request, db_field):
        """Organisations a foreign key may point to; override to narrow further."""
        return access.pickable_organizations(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organization:
            kwargs["queryset"] = self.organization_choices(request, db_field)
            if "widget" not in kwargs and db_field.name not in self.raw_id_fields:
                # Never a drop-down of every organisation (100,000 in a province): the admin's
                # autocomplete, whose results the organisation admin scopes to this field's
                # choices (see :func:`autocomplete_choices`).
                kwargs["widget"] = AutocompleteSelect(
                    db_field, self.admin_site, using=kwargs.get("using")
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def organization_of(self, obj):
        """The organisation deciding who manages ``obj`` (the first of its scope paths)."""
        target = obj
        for part in filter(None, self.get_scope_paths()[0].split("__")):
            target = getattr(target, part)
        return target

    def has_module_permission(self, request):
        return access.role_of(request.user) is not None

    def has_view_permission(self, request, obj=None):
        if access.role_of(request.user) is None:
            return False
        return obj is None or access.any_in_scope(request.user, obj, self.get_scope_paths())

    def _can_manage(self, request, obj=None):
        if self.manage_capability is None:
            return False
        organization = None if obj is None else self.organization_of(obj)
        return access.can(request.user, self.manage_capability, organization)

    def has_add_permission(self, request):
        return self._can_manage(request)

    def has_change_permission(self, request, obj=None):
        return self._can_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._can_manage(request, obj)


class SubtreeFilter(admin.SimpleListFilter):
    """Restrict a list to one organisation's subtree, chosen by code (``?under=CODE``).

    ``via`` is the lookup from the listed model to its organisation, as in
    :class:`ScopedAdminMixin`; a code outside the user's scope answers 404.
    """

    title = _("subtree")
    parameter_name = "under"
    via = ""

    def lookups(self, request, model_admin):
        code = request.GET.get(self.parameter_name)
        return [(code, code)] if code else []

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        node = access.organization_for(request.user, self.value())
        return queryset.filter(**{f"{self.via}path__startswith": node.path})


class AuditLogAdminMixin:
    """A log that only those who read the logs may open, and that nobody edits through the
    admin (the export log, the look-up log)."""

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


def autocomplete_choices(request, admin_site):
    """The organisations an autocomplete request (``/admin/autocomplete/?app_label=…``) may
    offer: the choices of the asking form's field (:meth:`ScopedAdminMixin.organization_choices`),
    or the user's pickable organisations for a form that has none. Unknown fields offer nothing."""
    from django.apps import apps

    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        field = model._meta.get_field(request.GET["field_name"])
    except (KeyError, LookupError, ValueError):
        return Organization.objects.none()
    if getattr(field, "related_model", None) is not Organization:
        return Organization.objects.none()
    source = admin_site._registry.get(model)
    if isinstance(source, ScopedAdminMixin):
        return source.organization_choices(request, field)
    return access.pickable_organizations(request.user)

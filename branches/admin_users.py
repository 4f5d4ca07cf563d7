"""The admin's user accounts: committees manage the accounts of their subtree, provincial staff
everyone's; each account holds one grant (organisation and role), checked by the grant service."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from branches import access, services
from branches.admin_scoping import ScopedAdminMixin
from branches.models import Organization, OrganizationAccess


class OrganizationAccessInline(admin.StackedInline):
    model = OrganizationAccess
    can_delete = False
    extra = 1
    max_num = 1
    autocomplete_fields = ["organization"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organization:
            kwargs["queryset"] = access.pickable_organizations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        granter = request.user

        class GrantForm(formset.form):
            def clean(self):
                cleaned = super().clean()
                organization, role = cleaned.get("organization"), cleaned.get("role")
                if organization and role:
                    services.grant_check(organization=organization, role=role, granted_by=granter)
                return cleaned

        formset.form = GrantForm
        return formset

    def has_view_permission(self, request, obj=None):
        return access.can(request.user, access.Capability.MANAGE_USERS)

    has_add_permission = has_change_permission = has_view_permission


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(ScopedAdminMixin, UserAdmin):
    """Committees manage the accounts of their subtree; provincial staff everyone's."""

    scope_via = "organization_access__organization__"
    manage_capability = access.Capability.MANAGE_USERS
    inlines = [OrganizationAccessInline]
    list_display = ["username", "first_name", "user_organization", "user_role", "is_active"]
    list_select_related = ["organization_access__organization"]
    list_filter = ["is_active", "organization_access__role"]
    search_fields = ["username", "first_name", "organization_access__organization__name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "email"]}),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return [*self.fieldsets, (_("Permissions"), {"fields": ["is_staff", "is_superuser"]})]
        return self.fieldsets

    def organization_of(self, obj):
        grant = getattr(obj, "organization_access", None)
        return grant.organization if grant else None

    def has_view_permission(self, request, obj=None):
        if not access.can(request.user, access.Capability.MANAGE_USERS):
            return False
        return obj is None or access.is_in_scope(request.user, self.organization_of(obj))

    def save_model(self, request, obj, form, change):
        obj.is_staff = True
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        access.forget(form.instance)

    @admin.display(description=_("organisation"))
    def user_organization(self, obj):
        grant = getattr(obj, "organization_access", None)
        return grant.organization if grant else "—"

    @admin.display(description=_("role"))
    def user_role(self, obj):
        grant = getattr(obj, "organization_access", None)
        return grant.get_role_display() if grant else "—"

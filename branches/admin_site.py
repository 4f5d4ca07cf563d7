"""The admin site: one menu per role, listing only the entries the role can use.

A model's entry needs the capability named here (None: every role); a model not named here is
listed to those who may add, change or delete something in it. The pages themselves keep
their own checks: this decides what the menu offers, not what a URL answers.
"""

from django.contrib import admin

from branches import access

Capability = access.Capability

#: ``app_label.model_name`` -> the capability its menu entry needs (None: every role)
MENU_CAPABILITIES = {
    "members.member": None,
    "branches.organization": None,
    "members.numberrange": Capability.MANAGE_RANGES,
    "members.issuednumber": Capability.MANAGE_RANGES,
    "members.unusednumber": Capability.EXPLAIN,
    "members.move": Capability.FOLLOW_MOVES,
    "members.lookuplog": Capability.READ_EXPORT_LOG,
    "branches.cadre": Capability.MANAGE_ORGANIZATIONS,
    "auth.user": Capability.MANAGE_USERS,
    "reports.campaign": Capability.VIEW_DASHBOARD,
    "reports.campaignforward": Capability.FORWARD_CAMPAIGNS,
    "reports.snapshot": Capability.VIEW_DASHBOARD,
    "reports.issuer": Capability.SUBMIT,
    "reports.submission": Capability.SUBMIT,
    "reports.exportlog": Capability.READ_EXPORT_LOG,
    "reports.educationcount": Capability.IMPORT_EDUCATION,
    "reports.explanation": Capability.VIEW_DASHBOARD,
}


def menu_shows(user, label, perms):
    """Whether ``user``'s admin menu lists the model ``label`` (whose ``perms`` the admin gave)."""
    if label in MENU_CAPABILITIES:
        capability = MENU_CAPABILITIES[label]
        return access.role_of(user) is not None and (
            capability is None or access.can(user, capability)
        )
    return any(perms.get(kind) for kind in ("add", "change", "delete"))


class LeagueAdminSite(admin.AdminSite):
    # The site's own header carries the navigation; the list keeps the width.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        apps = []
        for app in super().get_app_list(request, app_label):
            models = [
                model
                for model in app["models"]
                if menu_shows(
                    request.user,
                    f"{app['app_label']}.{model['object_name'].lower()}",
                    model["perms"],
                )
            ]
            if models:
                apps.append({**app, "models": models})
        return apps

"""The desk (工作台): each role's jobs as cards, with live counts of what waits."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from branches import access
from branches.views import home_context
from reports.desk import counts_for


@login_required
def desk(request):
    """Every committee job at most two clicks away: a card per job with its count."""
    user = request.user
    context = home_context(user)
    context["counts"] = counts_for(user)
    context["may_import_education"] = access.can(user, access.Capability.IMPORT_EDUCATION)
    context["may_explain"] = access.can(user, access.Capability.EXPLAIN)
    return render(request, "home.html", context)

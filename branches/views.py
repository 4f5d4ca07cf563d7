from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from branches import access, cadres
from branches.models import Role


def home_context(user):
    """What every desk (:func:`reports.views_desk.desk`) knows about its user: role and
    organisation."""
    role = access.role_of(user)
    return {
        "role": role,
        "organization": access.home_organization(user),
        "is_secretary": role == Role.SECRETARY,
        "is_committee": role == Role.COMMITTEE,
        "is_province": role == Role.PROVINCE,
    }


CADRE_LIST_LIMIT = 200


def _first(queryset):
    """The first rows of a list and how many there are in all (two queries)."""
    rows = list(queryset[:CADRE_LIST_LIMIT])
    total = len(rows) if len(rows) < CADRE_LIST_LIMIT else queryset.count()
    return rows, total


@login_required
def cadre_lists(request):
    """The cadre lists of one committee's subtree (``?org=CODE``, default the user's own; 404
    outside the user's scope): organisations without a 书记, terms due (换届提醒), and school
    organisations whose cadre records are incomplete."""
    user = request.user
    organization = access.requested_organization(
        user, request.GET.get("org"), access.Capability.VIEW_DASHBOARD
    )
    today = timezone.localdate()
    without_secretary, without_secretary_total = _first(
        cadres.without_secretary(organization, user=user)
    )
    due, due_total = _first(cadres.terms_due(organization, user=user, today=today))
    for row in due:
        row.days_left = (row.term_end - today).days
    incomplete, incomplete_total = _first(cadres.incomplete_school_records(organization, user=user))
    return render(
        request,
        "cadres/lists.html",
        {
            "organization": organization,
            "without_secretary": without_secretary,
            "without_secretary_total": without_secretary_total,
            "due": due,
            "due_total": due_total,
            "warning_days": cadres.term_warning_days(),
            "incomplete": incomplete,
            "incomplete_total": incomplete_total,
            "limit": CADRE_LIST_LIMIT,
            "can_manage": access.can(user, access.Capability.MANAGE_ORGANIZATIONS, organization),
        },
    )

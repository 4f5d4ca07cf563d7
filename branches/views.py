from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from branches import access
from branches.models import Role


@login_required
def home(request):
    """Each role's own starting points: secretaries enter members, committees watch figures."""
    role = access.role_of(request.user)
    return render(
        request,
        "home.html",
        {
            "role": role,
            "organization": access.home_organization(request.user),
            "is_secretary": role == Role.SECRETARY,
            "is_committee": role == Role.COMMITTEE,
            "is_province": role == Role.PROVINCE,
        },
    )

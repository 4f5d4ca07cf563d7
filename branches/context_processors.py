from branches import access


def organization_access(request):
    """The signed-in user's organisation and role, for the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_organization": access.home_organization(user),
        "user_role": access.role_of(user),
    }

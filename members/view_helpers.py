"""Request helpers shared by the pages of moved members and of graduates."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.http import url_has_allowed_host_and_scheme

from branches import access

#: model field -> form field, for errors raised by the services
FORM_FIELDS = {
    "member": "id_number",
    "destination_organization": "destination_code",
    "destination_kind": NON_FIELD_ERRORS,
    "from_branch": NON_FIELD_ERRORS,
}


def requested_organization(request, capability):
    """The organisation named by ``?org=`` (default: the user's own), in scope and allowed."""
    return access.requested_organization(request.user, request.GET.get("org"), capability)


def posted(request):
    """The submitted data on a POST (even an empty one), None otherwise."""
    return request.POST if request.method == "POST" else None


def next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def add_service_errors(form, error):
    """Show a ValidationError raised by a service on the form fields it concerns."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = FORM_FIELDS.get(field, field)
        if name != NON_FIELD_ERRORS and name not in form.fields:
            name = NON_FIELD_ERRORS
        form.add_error(None if name == NON_FIELD_ERRORS else name, errors)


def message_of(error):
    return "；".join(error.messages)

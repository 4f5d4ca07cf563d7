"""Serving official tables to signed-in users, within their scope."""

import tempfile

from django.http import FileResponse, Http404
from django.utils import timezone

from branches import access
from reports.spreadsheets.base import get_table, table_kinds, write_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(request, kind, organization, **options):
    """Write the table to a temporary file and stream it back as an attachment."""
    if kind not in table_kinds():
        raise Http404("No such table.")
    table = get_table(kind)
    # FileResponse closes the file once it has been sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    write_table(table, organization, handle, user=request.user, **options)
    handle.seek(0)
    name = f"{kind}-{organization.code}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


def download_options(request, table):
    return {name: request.GET[name] for name in table.options if request.GET.get(name)}


def scoped_organization(request):
    code = request.GET.get("org")
    return (
        access.organization_for(request.user, code)
        if code
        else access.home_organization(request.user)
    )

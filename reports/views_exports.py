"""Downloads of official tables (stamped or not, in the background when large), and checking a
stamped table someone sent you."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from branches import access
from reports.background import export_job_start
from reports.exporting import export_write, runs_in_background
from reports.forms import VerifyForm
from reports.models import Campaign, Channel, ExportJob, ExportLog
from reports.spreadsheets.base import get_table, table_kinds
from reports.stamping import verify_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_response(handle, name):
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


@login_required
def download(request, kind):
    """An official table of one organisation's subtree (404 outside the user's scope).

    ``stamp=1`` stamps it as the user's own organisation; large tables go to a background job.
    """
    user = request.user
    if kind not in table_kinds() or access.role_of(user) is None:
        raise Http404("No such table.")
    organization = access.requested_organization(user, request.GET.get("org"))
    table = get_table(kind)
    options = {name: request.GET[name] for name in table.options if request.GET.get(name)}
    if "campaign" in table.options:
        get_object_or_404(Campaign.objects.ranked(), slug=options.get("campaign", ""))
    stamp = request.GET.get("stamp") == "1"
    if stamp and access.home_organization(user) != organization:
        raise Http404("Tables are stamped only as your own organisation.")
    if runs_in_background(table, organization, user=user, **options):
        job = export_job_start(
            user=user, kind=kind, organization=organization, stamp=stamp, options=options
        )
        return redirect("reports:export_job", job.pk)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    export_write(
        table=table,
        organization=organization,
        target=handle,
        user=user,
        stamp=stamp,
        channel=Channel.WEB,
        **options,
    )
    name = f"{kind}-{organization.code}-{timezone.localdate():%Y%m%d}.xlsx"
    return _file_response(handle, name)


def _own_job(request, pk):
    return get_object_or_404(
        ExportJob.objects.select_related("organization"), pk=pk, user=request.user
    )


@login_required
def export_job(request, pk):
    """Progress of a background export; the page refreshes itself until the file is ready."""
    job = _own_job(request, pk)
    return render(request, "reports/export_job.html", {"job": job, "Status": ExportJob.Status})


@login_required
def export_job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("Not ready.")
    ExportLog.objects.create(
        user=request.user,
        kind=job.kind,
        organization=job.organization,
        organization_code=job.organization.code,
        rows=job.rows_done,
        stamped=job.stamp,
        channel=Channel.WEB,
        options=job.options,
    )
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=XLSX,
    )


@login_required
def verify(request):
    """Upload a stamped table to check that nothing in it changed since it was stamped."""
    if access.role_of(request.user) is None:
        raise Http404("No organisation.")
    verdict = None
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        verdict = verify_workbook(form.cleaned_data["file"])
    return render(request, "reports/verify.html", {"form": form, "verdict": verdict})

"""Downloads of official tables (stamped or not, in the background when large), and checking a
stamped table someone sent you."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from branches import access
from reports.forms import VerifyForm
from reports.models import Campaign, ExportJob
from reports.submissions.exporting import StoredFile
from reports.submissions.verifying import verify_workbook
from spreadsheets.exporting import export_response
from spreadsheets.tables import get_table, table_kinds
from youthleague.db_router import replica_reads


@login_required
@replica_reads
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
    return export_response(
        request,
        kind=kind,
        organization=organization,
        options=options,
        stamp=request.GET.get("stamp") == "1",
    )


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
    return export_response(
        request,
        kind=job.kind,
        organization=job.organization,
        options=job.options,
        stored=StoredFile(file=job.file, rows=job.rows_done, stamped=job.stamp),
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

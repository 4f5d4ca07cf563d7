"""The page of a background import: progress, then the outcome, and the confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spreadsheets.models import ImportJob
from spreadsheets.uploads import import_job_confirm


def _own_job(request, pk):
    # Only the uploader sees a job: anyone else gets "not found".
    return get_object_or_404(ImportJob, pk=pk, user=request.user)


@login_required
def import_job(request, pk):
    """Progress of a background import; the page refreshes itself until the outcome is known."""
    job = _own_job(request, pk)
    return render(request, "spreadsheets/import_job.html", {"job": job})


@login_required
@require_POST
def import_job_confirm_view(request, pk):
    """Import the file whose dry run accepted every row."""
    job = _own_job(request, pk)
    if not import_job_confirm(job=job):
        messages.error(request, _("The upload has expired; choose the file again."))
    else:
        messages.success(
            request, _("The import has started; this page shows its outcome when it is done.")
        )
    return redirect("spreadsheets:import_job", job.pk)

"""Approval pages: reopening an accepted submission and the changes made since acceptance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from branches import access
from reports.forms import ReopenForm
from reports.models import Submission
from reports.submissions.approval import can_reopen, submission_reopen
from reports.submissions.services import parent_of
from reports.submissions.views import _page_url

CHANGES_LIMIT = 500


def _submission_in_scope(request, pk):
    submission = get_object_or_404(
        Submission.objects.select_related("organization", "campaign"), pk=pk
    )
    if not access.is_in_scope(request.user, submission.organization):
        raise Http404("No such submission.")
    return submission


@login_required
@require_POST
def reopen(request, pk):
    """The parent takes back its acceptance (撤销接收), with a reason."""
    submission = _submission_in_scope(request, pk)
    if not can_reopen(request.user, submission):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            submission_reopen(
                submission=submission, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(_page_url(submission.campaign, parent_of(submission.organization)))


@login_required
def changes(request, pk):
    """The records changed since a submission was accepted, newest first."""
    access.require(request.user, access.Capability.VIEW_DASHBOARD)
    submission = _submission_in_scope(request, pk)
    rows = submission.changes_after_acceptance.select_related("changed_by")
    return render(
        request,
        "reports/submission_changes.html",
        {
            "submission": submission,
            "changes": rows[:CHANGES_LIMIT],
            "total": rows.count(),
            "limit": CHANGES_LIMIT,
        },
    )

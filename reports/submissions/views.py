"""The submission page of a campaign: one's own submission and the children's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import access
from reports.forms import OverrideSubmitForm, ReopenForm, ReturnForm
from reports.models import Campaign, Submission, SubmissionFile, SubmissionStatus
from reports.submissions import approval
from reports.submissions.exporting import StoredFile
from reports.submissions.services import (
    State,
    can_review,
    can_submit,
    children_states,
    file_is_intact,
    may_follow,
    parent_of,
    state_of,
    submission_accept,
    submission_create,
    submission_return,
)
from spreadsheets.exporting import export_response


def _campaigns():
    return Campaign.objects.active().exclude(submission_tables="")


def _page_url(campaign, organization):
    return f"{reverse('reports:submissions')}?campaign={campaign.slug}&org={organization.code}"


@login_required
def submissions(request):
    user = request.user
    access.require(user, access.Capability.VIEW_DASHBOARD)
    campaigns = list(_campaigns())
    campaign = next((c for c in campaigns if c.slug == request.GET.get("campaign")), None)
    if campaign is None and campaigns:
        campaign = campaigns[0]
    organization = access.requested_organization(user, request.GET.get("org"))
    context = {
        "campaigns": campaigns,
        "campaign": campaign,
        "organization": organization,
        # Nothing is above the top of the tree: it only receives, it submits to nobody.
        "receives_only": parent_of(organization) is None,
    }
    if campaign is not None:
        own = list(
            Submission.objects.filter(campaign=campaign, organization=organization)
            .prefetch_related("files")
            .select_related("submitted_by", "reviewed_by")
            .order_by("-version")
        )
        children = children_states(campaign, organization)
        context.update(
            own_versions=own,
            own_state=State.LABELS[state_of(own[0] if own else None)],
            may_submit=can_submit(user, organization) and may_follow(own[0] if own else None),
            preparing=bool(own) and own[0].status == SubmissionStatus.PREPARING,
            children=children,
            missing=[c for c in children if c.state in (State.NOT_SUBMITTED, State.RETURNED)],
            reviewable={
                c.submission.pk for c in children if c.submission and can_review(user, c.submission)
            },
            submit_form=OverrideSubmitForm(),
            reopen_form=ReopenForm(),
            unaccepted=approval.unaccepted_children(campaign, organization),
            changes=approval.changes_since_acceptance(
                [c.submission for c in children if c.submission]
                + [s for s in own[:1] if s.status == SubmissionStatus.ACCEPTED]
            ),
            tree=approval.approval_tree(campaign, organization, user),
            return_form=ReturnForm(),
            deadline=campaign.deadline_for(organization),
        )
    return render(request, "reports/submissions.html", context)


@login_required
@require_POST
def submit(request, slug):
    campaign = get_object_or_404(_campaigns(), slug=slug)
    organization = access.home_organization(request.user)
    if organization is None:
        raise Http404("No organisation.")
    form = OverrideSubmitForm(request.POST)
    form.is_valid()
    try:
        submission = submission_create(
            campaign=campaign,
            organization=organization,
            user=request.user,
            note=form.cleaned_data.get("note", ""),
            override_reason=form.cleaned_data.get("override_reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _submitted_message(submission))
    return redirect(_page_url(campaign, organization))


def _submitted_message(submission):
    submission.refresh_from_db(fields=["status"])  # an immediate task backend is done already
    if submission.status == SubmissionStatus.PREPARING:
        return _(
            "Version %(version)d submitted; its tables are being prepared and appear here "
            "when ready."
        ) % {"version": submission.version}
    return _("Version %(version)d submitted.") % {"version": submission.version}


def _reviewable(request, pk):
    submission = get_object_or_404(
        Submission.objects.select_related("organization", "campaign"), pk=pk
    )
    if not access.is_in_scope(request.user, submission.organization):
        raise Http404("No such submission.")
    if not can_review(request.user, submission):
        raise PermissionDenied
    return submission


@login_required
def accept(request, pk):
    """Accepting cannot be undone: GET asks to confirm (a page, so it works without JS), POST
    accepts and says so."""
    submission = _reviewable(request, pk)
    parent = access.home_organization(request.user)
    back = _page_url(submission.campaign, parent)
    if request.method != "POST":
        return render(
            request,
            "reports/accept_confirm.html",
            {"submission": submission, "back": back},
        )
    try:
        submission_accept(submission=submission, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            _("Version %(version)d of %(organization)s is accepted.")
            % {"version": submission.version, "organization": submission.organization.name},
        )
    return redirect(back)


@login_required
@require_POST
def return_submission(request, pk):
    submission = _reviewable(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            submission_return(
                submission=submission, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("Version %(version)d of %(organization)s is returned for correction.")
                % {"version": submission.version, "organization": submission.organization.name},
            )
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    parent = access.home_organization(request.user)
    return redirect(_page_url(submission.campaign, parent))


@login_required
def submission_file(request, pk):
    stored = get_object_or_404(
        SubmissionFile.objects.select_related("submission__organization", "submission__campaign"),
        pk=pk,
    )
    if not access.is_in_scope(request.user, stored.submission.organization):
        raise Http404("No such file.")
    if not file_is_intact(stored):
        raise Http404("The stored file no longer matches its digest.")
    return export_response(
        request,
        kind=stored.kind,
        organization=stored.submission.organization,
        options={"campaign": stored.submission.campaign.slug},
        stored=StoredFile(file=stored.file, rows=stored.rows, stamped=True),
    )

"""A committee's pages of a registration year: its overview (children's figures, branches awaiting
certification and those not done), certifying and returning a branch's registration. The
branch's pages are in :mod:`reports.registration.views`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import access
from branches.models import Organization, Role
from members.models import BRANCH_KINDS, Member, MemberStatus
from reports.campaigns import deadlines_for
from reports.forms import ReturnForm
from reports.metrics import children_and_total, figures_shown
from reports.models import (
    BranchRegistration,
    BranchRegistrationStatus,
    CampaignForward,
)
from reports.registration import services
from reports.registration.views import _branch_url, _year

#: branches listed as not done on a committee's page
LIST_LIMIT = 100


@login_required
def overview(request):
    """A committee's registration year: its children's figures, the branches awaiting its
    certification and those not done. A branch secretary goes to their branch's form."""
    user = request.user
    if access.role_of(user) == Role.SECRETARY:
        home = access.home_organization(user)
        return redirect(_branch_url(home, _year(request)[1]))
    organization = access.requested_organization(
        user, request.GET.get("org"), access.Capability.VIEW_DASHBOARD
    )
    years, campaign = _year(request)
    if organization.is_branch:
        return redirect(_branch_url(organization, campaign))
    context = {"organization": organization, "years": years, "campaign": campaign}
    if campaign is not None:
        children, total = children_and_total(organization, campaign)
        names = [f for f in figures_shown(campaign) if f.name.startswith(("registration", "eval"))]
        (deadline,) = deadlines_for(organization, [campaign])
        context.update(
            breadcrumb=access.breadcrumb(user, organization),
            figures=names,
            children=children,
            total=total,
            deadline=deadline,
            awaiting=services.registrations_to_certify(user, campaign, organization),
            not_done=_not_done(campaign, organization),
            return_form=ReturnForm(),
        )
    return render(request, "reports/registration/overview.html", context)


def _not_done(campaign, organization):
    """Open branches of the subtree with active members and no registration submitted or
    certified: never submitted, or returned (at most :data:`LIST_LIMIT`)."""
    done = BranchRegistration.objects.filter(
        campaign=campaign,
        status__in=[BranchRegistrationStatus.SUBMITTED, BranchRegistrationStatus.CERTIFIED],
    ).values("branch")
    active = Member.objects.filter(status=MemberStatus.ACTIVE).values("branch")
    branches = (
        Organization.objects.current()
        .filter(path__startswith=organization.path, kind__in=BRANCH_KINDS, pk__in=active)
        .exclude(pk__in=done)
    )
    listed = list(branches[:LIST_LIMIT])
    returned = dict(
        BranchRegistration.objects.filter(
            campaign=campaign, branch__in=listed, status=BranchRegistrationStatus.RETURNED
        ).values_list("branch_id", "return_reason")
    )
    # The deadline each branch was given: the deepest forward above it, from one query.
    forwards = sorted(
        CampaignForward.objects.filter(campaign=campaign)
        .filter(
            Q(organization__path__in=organization.ancestor_paths())
            | Q(organization__path__startswith=organization.path)
        )
        .values_list("organization__path", "internal_deadline"),
        key=lambda pair: -len(pair[0]),
    )

    def deadline_of(branch):
        for path, day in forwards:
            if branch.path.startswith(path) and branch.path != path:
                return day
        return campaign.deadline

    return [(branch, returned.get(branch.pk), deadline_of(branch)) for branch in listed]


def _reviewable(request, pk):
    registration = get_object_or_404(
        BranchRegistration.objects.select_related("branch", "campaign"), pk=pk
    )
    if not access.is_in_scope(request.user, registration.branch):
        raise Http404("No such registration.")
    if not access.can_certify_registration(request.user, registration.branch):
        raise PermissionDenied
    return registration


def _back(request, registration):
    home = access.home_organization(request.user)
    url = reverse("reports:registration")
    return f"{url}?campaign={registration.campaign.slug}&org={home.code}"


@login_required
@require_POST
def certify(request, pk):
    registration = _reviewable(request, pk)
    try:
        services.branch_registration_certify(registration=registration, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            _("Certified the registration of %(branch)s.") % {"branch": registration.branch},
        )
    return redirect(_back(request, registration))


@login_required
@require_POST
def return_registration(request, pk):
    registration = _reviewable(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.branch_registration_return(
                registration=registration, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("Returned the registration of %(branch)s.") % {"branch": registration.branch},
            )
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(_back(request, registration))

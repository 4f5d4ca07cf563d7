from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from branches import access
from branches.models import Role
from members.models import Member
from members.numbers import ledger, reservations
from reports.dashboard import build_dashboard
from reports.models import Campaign
from reports.ranking import draft_notice, ranked_level, ranking
from reports.snapshots import latest_snapshot
from youthleague.db_router import replica_reads


@login_required
@replica_reads
def dashboard(request):
    """A committee's view of its children against the campaigns; a branch gets its own page."""
    user = request.user
    role = access.role_of(user)
    if role is None:
        raise Http404("No organisation.")
    code = request.GET.get("org")
    if role == Role.SECRETARY:
        organization = access.home_organization(user)
        if code and code != organization.code:
            raise Http404("No such organisation.")
        return branch_page(request, organization)
    organization = access.requested_organization(user, code, access.Capability.VIEW_DASHBOARD)
    if organization.is_branch:
        return branch_page(request, organization)
    board = build_dashboard(
        organization,
        user=user,
        campaign_slug=request.GET.get("campaign"),
        sort=request.GET.get("sort", ""),
        descending=request.GET.get("order") == "desc",
        groups=",".join(request.GET.getlist("groups")),
    )
    return render(request, "reports/dashboard.html", {"board": board})


#: unaccounted spans listed on a branch's page (the ledger lists them all)
BRANCH_SPANS_SHOWN = 50


def branch_page(request, branch):
    """One branch: its members, its late entries and its unaccounted numbers."""
    user = request.user
    in_branch = Member.objects.visible_to(user).filter(branch=branch).order_by("-join_date", "name")
    members = in_branch.in_league()
    left = in_branch.left()
    late = Member.objects.visible_to(user).entered_late().filter(developing_organization=branch)
    editable = access.sees_full_id_numbers(user, branch)
    return render(
        request,
        "reports/branch.html",
        {
            "branch": branch,
            "breadcrumb": access.breadcrumb(user, branch),
            "members": members,
            "left_members": left,
            "late_members": late,
            "show_full_ids": editable,
            "is_committee_view": access.role_of(user) != Role.SECRETARY,
            # Numbers of the branch's own closed ranges that nobody holds or explains.
            "unaccounted": [
                (first, last, last - first + 1)
                for first, last in ledger.unaccounted_spans(branch, limit=BRANCH_SPANS_SHOWN)
            ],
            "holds_ranges": branch.number_ranges.exists(),
            # The numbers this user's entry forms hold for the branch; each may be released.
            "reservations": reservations.reservations_of(user).filter(organization=branch),
        },
    )


@login_required
@replica_reads
def notice(request):
    """The ranking below the organisation asked for (``?org=CODE``, default the user's own) and
    the paragraph naming those on the wrong side of the threshold."""
    user = request.user
    access.require(user, access.Capability.VIEW_DASHBOARD)
    campaign = get_object_or_404(Campaign.objects.ranked(), slug=request.GET.get("campaign", ""))
    root = access.requested_organization(
        user, request.GET.get("org"), access.Capability.VIEW_DASHBOARD
    )
    snapshot = latest_snapshot(campaign)
    level = ranked_level(campaign, root)
    entries = ranking(campaign, root, level=level)
    as_of = timezone.localdate()
    return render(
        request,
        "reports/notice.html",
        {
            "campaign": campaign,
            "root": root,
            "level": level,
            "entries": entries,
            "snapshot": snapshot,
            "text": draft_notice(campaign, entries, as_of=as_of, level=level),
            "as_of": as_of,
            "campaigns": Campaign.objects.ranked().active(),
        },
    )

"""Pages of member status (团籍状态): one member's status and history, the committee's list of
proposals to decide, and the list of members reaching 28 with its bulk confirmation.

Members and proposals are looked up through the scoped querysets (anything outside the user's
scope answers 404); every write goes through :mod:`members.status.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import access
from branches.models import Cadre
from members.models import Member, MemberStatus, StatusChange, age_limit_birth_date
from members.models.status import REACHING_DAYS
from members.status import services as exits
from members.status.forms import (
    ConfirmAgedOutForm,
    DecideForm,
    ProposeForm,
    ReachingForm,
    ReverseForm,
)
from members.view_helpers import add_service_errors, message_of, posted
from youthleague.db_router import replica_reads

#: rows shown per list on the page of members reaching 28
LIST_LIMIT = 500
RECENT_CHANGES = 50


def _breadcrumb(user, organization):
    return [*access.visible_ancestors(user, organization), organization]


@login_required
def member_status(request, pk):
    """One member: their status, its history, and the forms the user may use."""
    user = request.user
    member = get_object_or_404(
        Member.objects.visible_to(user).select_related("branch", "developing_organization"), pk=pk
    )
    can_propose = access.can_propose_status_change(user, member.branch)
    can_decide = access.can_decide_status_change(user, member.branch)
    propose_form = ProposeForm(prefix="propose")
    reverse_form = ReverseForm(prefix="reverse")
    if request.method == "POST":
        try:
            if "propose-status" in request.POST:
                propose_form = ProposeForm(request.POST, prefix="propose")
                if propose_form.is_valid():
                    data = propose_form.cleaned_data
                    change = exits.member_exit_propose(
                        member=member,
                        status=data["status"],
                        effective_on=data["effective_on"],
                        reason=data["reason"],
                        user=user,
                    )
                    messages.success(request, _status_message(change))
                    return redirect(request.path)
            elif "reverse-reason" in request.POST:
                reverse_form = ReverseForm(request.POST, prefix="reverse")
                if reverse_form.is_valid():
                    exits.member_exit_reverse(
                        member=member, reason=reverse_form.cleaned_data["reason"], user=user
                    )
                    messages.success(
                        request, _("%(name)s's membership is restored.") % {"name": member.name}
                    )
                    return redirect(request.path)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            add_service_errors(
                propose_form if "propose-status" in request.POST else reverse_form, exc
            )
    changes = member.status_changes.select_related("proposed_by", "decided_by").order_by(
        "-proposed_at", "-id"
    )
    return render(
        request,
        "members/status.html",
        {
            "member": member,
            "breadcrumb": _breadcrumb(user, member.branch),
            "changes": changes,
            "pending": any(c.state == StatusChange.State.PROPOSED for c in changes),
            "can_propose": can_propose and member.in_league,
            "can_reverse": can_decide and member.status != MemberStatus.ACTIVE,
            "propose_form": propose_form,
            "reverse_form": reverse_form,
            "show_full_ids": access.sees_full_id_numbers(user, member.branch),
        },
    )


def _status_message(change):
    if change.state == StatusChange.State.PROPOSED:
        return _("The proposal (%(status)s) awaits the approval of the committee above.") % {
            "status": change.get_status_display()
        }
    return _("%(name)s: %(status)s recorded.") % {
        "name": change.member.name,
        "status": change.get_status_display(),
    }


@login_required
def status_changes(request):
    """A committee's proposals to decide in its subtree (``?org=CODE``), and recent changes."""
    user = request.user
    organization = access.requested_organization(
        user, request.GET.get("org"), access.Capability.REVIEW
    )
    in_subtree = StatusChange.objects.filter(member__branch__path__startswith=organization.path)
    decidable = in_subtree.filter(access.status_changes_decidable_q(user))
    if request.method == "POST":
        change = get_object_or_404(
            decidable.filter(state=StatusChange.State.PROPOSED).select_related("member__branch"),
            pk=request.POST.get("change") if (request.POST.get("change") or "").isdigit() else None,
        )
        form = DecideForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    exits.member_exit_approve(
                        change=change, user=user, note=form.cleaned_data["note"]
                    )
                    messages.success(
                        request,
                        _("Approved: %(name)s, %(status)s.")
                        % {"name": change.member.name, "status": change.get_status_display()},
                    )
                else:
                    exits.member_exit_refuse(
                        change=change, user=user, note=form.cleaned_data["note"]
                    )
                    messages.success(
                        request, _("Refused: %(name)s.") % {"name": change.member.name}
                    )
            except ValidationError as exc:
                messages.error(request, message_of(exc))
        return redirect(f"{reverse('members:status_changes')}?org={organization.code}")
    related = ("member__branch", "proposed_by", "decided_by")
    return render(
        request,
        "members/status_changes.html",
        {
            "organization": organization,
            "breadcrumb": _breadcrumb(user, organization),
            "proposals": decidable.filter(state=StatusChange.State.PROPOSED)
            .select_related(*related)
            .order_by("proposed_at"),
            "recent": in_subtree.exclude(state=StatusChange.State.PROPOSED)
            .select_related(*related)
            .order_by("-decided_at", "-id")[:RECENT_CHANGES],
        },
    )


def reaching_lists(organization, *, today, days):
    """``(turning, past)`` querysets of the members in the League of ``organization``'s
    subtree who turn 28 within ``days`` days after ``today``, and who already have; each member
    is annotated ``holds_post`` (a cadre in post with their ID number)."""
    reached = age_limit_birth_date(today)
    members = (
        Member.objects.in_league()
        .in_subtree(organization)
        .select_related("branch")
        .annotate(holds_post=Exists(Cadre.objects.active().filter(id_number=OuterRef("id_number"))))
        .order_by("birth_date", "pk")
    )
    turning = members.filter(
        birth_date__gt=reached, birth_date__lte=age_limit_birth_date(today, days)
    )
    past = members.filter(birth_date__lte=reached)
    return turning, past


@login_required
@replica_reads
def reaching_28(request):
    """Members reaching 28 in a committee's subtree (``?org=CODE``, ``?days=N``): those turning
    28 within N days, those past 28 without an exit, and, apart, those holding a cadre post.
    Ticking members past 28 and confirming records 超龄离团 for all of them at once."""
    user = request.user
    organization = access.requested_organization(
        user, request.GET.get("org"), access.Capability.REVIEW
    )
    today = timezone.localdate()
    horizon = ReachingForm(request.GET if "days" in request.GET else None)
    days = horizon.cleaned_data["days"] if horizon.is_valid() else REACHING_DAYS
    turning, past = reaching_lists(organization, today=today, days=days)
    past_rows = list(past[: LIST_LIMIT + 1])
    turning_rows = list(turning[: LIST_LIMIT + 1])
    confirmable = [m for m in past_rows[:LIST_LIMIT] if not m.holds_post]
    form = ConfirmAgedOutForm(posted(request), choices=confirmable)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["members"])
        try:
            changes = exits.members_confirm_aged_out(
                members=[m for m in confirmable if m.pk in chosen],
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
                user=user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("超龄离团 confirmed for %(count)d members.") % {"count": len(changes)},
            )
            return redirect(f"{request.path}?org={organization.code}&days={days}")
    return render(
        request,
        "members/reaching_28.html",
        {
            "organization": organization,
            "breadcrumb": _breadcrumb(user, organization),
            "days": days,
            "horizon": horizon if horizon.is_bound else ReachingForm(initial={"days": days}),
            "today": today,
            "form": form,
            "past": [m for m in past_rows[:LIST_LIMIT] if not m.holds_post],
            "turning": [m for m in turning_rows[:LIST_LIMIT] if not m.holds_post],
            "in_post": [m for m in (past_rows + turning_rows) if m.holds_post],
            "cut": len(past_rows) > LIST_LIMIT or len(turning_rows) > LIST_LIMIT,
            "show_full_ids": access.sees_full_id_numbers(user, organization),
        },
    )

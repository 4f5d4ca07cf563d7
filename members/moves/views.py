"""Pages for moved members (流动团员); graduates (学社衔接) are in :mod:`members.moves.graduation`.

* the developing side's follow-up list: pending moves, overdue first, with contact and closing;
* the receiving side's inbox of members to confirm (报到).

Views stay thin: moves are looked up through the scoped querysets of :class:`Move` (so that
anything outside the user's scope, or outside the side that may act, answers 404) and every write
goes through :mod:`members.moves.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import access
from members.models import Move
from members.models.moves import (
    RETURNED_STATES,
    DestinationKind,
    State,
    expiry_days,
    overdue_days,
)
from members.moves import services as moves
from members.moves import transfers
from members.moves.filters import SHOWN, follow_up_filters
from members.moves.forms import (
    CloseForm,
    ContactForm,
    MoveForm,
    ReportForm,
)
from members.moves.forms_transfers import BatchForm
from members.view_helpers import (
    add_service_errors,
    message_of,
    next_url,
    posted,
    requested_organization,
)

FOLLOW = access.Capability.FOLLOW_MOVES
PAGE_SIZE = 50

# --- the developing side ------------------------------------------------------------------------


@login_required
def follow_up(request):
    """The developing organisation's moved members, overdue first."""
    user = request.user
    organization = requested_organization(request, FOLLOW)
    show = request.GET.get("show", "pending")
    if show not in SHOWN:
        show = "pending"
    filters = follow_up_filters()
    followed = Move.objects.followed_by(user).filter(
        member__developing_organization__path__startswith=organization.path
    )
    counts = followed.aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    chosen = followed.filter(filters[show]).with_related()
    if show in ("pending", "overdue", "returned"):
        chosen = chosen.overdue_first()
    elif show == "reported":
        chosen = chosen.order_by("-reported_at", "-pk")
    else:
        chosen = chosen.order_by("-closed_at", "-pk")
    page = Paginator(chosen, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "moves/follow_up.html",
        {
            "organization": organization,
            "show": show,
            "counts": counts,
            "page": page,
            "overdue_days": overdue_days(),
            "expiry_days": expiry_days(),
            "transfer_figures": transfers.transfer_figures(organization),
            "contact_form": ContactForm(),
            "close_form": CloseForm(),
        },
    )


@login_required
@require_POST
def record_contact(request, pk):
    move = get_object_or_404(Move.objects.followed_by(request.user).with_related(), pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            moves.move_record_contact(move=move, user=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(
                request, _("Contact with %(name)s recorded.") % {"name": move.member.name}
            )
    else:
        messages.error(request, _("Write down what the member said."))
    return redirect(next_url(request, reverse("moves:detail", args=[move.pk])))


@login_required
@require_POST
def close(request, pk):
    move = get_object_or_404(Move.objects.followed_by(request.user).with_related(), pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            moves.move_close(
                move=move,
                user=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(
                request, _("The move of %(name)s is closed.") % {"name": move.member.name}
            )
    else:
        messages.error(request, _("Choose a reason for closing."))
    return redirect(next_url(request, reverse("moves:detail", args=[move.pk])))


@login_required
def move_new(request):
    """Record one member's move; the member is found by ID number within the user's scope."""
    user = request.user
    access.require(user, FOLLOW)
    form = MoveForm(posted(request), user=user, initial={"moved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            move = moves.move_create(member=form.member, user=user, **form.move_fields())
        except PermissionDenied:
            form.add_error("id_number", _("You may not record moves for this member."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The move of %(name)s is recorded.") % {"name": move.member.name}
            )
            return redirect("moves:detail", pk=move.pk)
    return render(request, "moves/move_form.html", {"form": form})


@login_required
def detail(request, pk):
    """One move with its history; the actions each side may take."""
    user = request.user
    move = get_object_or_404(Move.objects.visible_to(user).with_related(), pk=pk)
    developing = moves.is_developing_side(user, move)
    receiving = moves.is_receiving_side(user, move)
    return render(
        request,
        "moves/detail.html",
        {
            "move": move,
            "history": transfers.move_steps(move),
            "can_follow": developing and move.is_pending,
            "can_confirm": move.is_pending and (receiving if move.is_in_system else developing),
            "can_refuse": move.is_pending and transfers.is_answering_side(user, move),
            "can_withdraw": move.is_pending and transfers.is_sending_side(user, move),
            "can_resend": move.is_returned and developing,
            "contact_form": ContactForm(),
            "close_form": CloseForm(),
        },
    )


# --- the receiving side -------------------------------------------------------------------------


@login_required
def inbox(request):
    """Members moving into the user's organisations, to confirm when they report."""
    user = request.user
    organization = requested_organization(request, FOLLOW)
    incoming = Move.objects.incoming_for(user).filter(
        destination_organization__path__startswith=organization.path
    )
    waiting = (
        incoming.pending()
        .with_related()
        .select_related("member__branch", "created_by")
        .order_by("moved_on", "pk")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    recorders = {}
    for move in page:
        # One user object per recorder, so that each one's access is read once.
        if move.created_by_id is not None:
            move.created_by = recorders.setdefault(move.created_by_id, move.created_by)
        # A developing committee sees where its member is going but does not take them in.
        move.can_confirm = moves.is_receiving_side(user, move)
    recent = incoming.filter(state=State.REPORTED).with_related().order_by("-reported_at")[:20]
    # Refused here or expired unanswered: back with the sender, shown on both sides.
    returned = (
        incoming.filter(state__in=RETURNED_STATES).with_related().order_by("-updated_at")[:20]
    )
    return render(
        request,
        "moves/inbox.html",
        {
            "organization": organization,
            "page": page,
            "recent": recent,
            "returned": returned,
            "batch_form": BatchForm(auto_id="batch-%s"),
        },
    )


def _confirmable(user):
    """Moves whose report-in ``user`` may confirm: into their scope, or outside the system and
    followed by them."""
    return Move.objects.incoming_for(user) | Move.objects.followed_by(user).exclude(
        destination_kind=DestinationKind.ORGANIZATION
    )


@login_required
def confirm_report(request, pk):
    """Confirm a report-in (报到): the receiving side for a destination in the system."""
    user = request.user
    move = get_object_or_404(_confirmable(user).pending().with_related(), pk=pk)
    if move.is_in_system and not moves.is_receiving_side(user, move):
        raise Http404("No such move.")
    branches = None
    if move.is_in_system and not move.destination_organization.is_branch:
        branches = moves.report_branch_choices(user, move)
    form = ReportForm(posted(request), branches=branches, note_required=not move.is_in_system)
    if request.method == "POST" and form.is_valid():
        try:
            moves.move_confirm_report(
                move=move,
                user=user,
                branch=form.cleaned_data.get("branch"),
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            raise Http404("No such move.") from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has reported in.") % {"name": move.member.name})
            default = reverse("moves:inbox") if move.is_in_system else reverse("moves:follow_up")
            return redirect(next_url(request, default))
    return render(request, "moves/confirm.html", {"move": move, "form": form})

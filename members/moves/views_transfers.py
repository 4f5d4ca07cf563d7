"""Pages of two-sided transfers: refusing, withdrawing, resending, and the inbox's batch answer.

Moves are looked up through the scoped querysets of :class:`Move` for the side that may act, so
that anything else answers 404; every write goes through :mod:`members.moves.transfers`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import access
from members.models import Move
from members.models.moves import RETURNED_STATES
from members.moves import transfers
from members.moves.forms_transfers import BatchForm, RefuseForm, ResendForm, WithdrawForm
from members.moves.transfers import BatchAction
from members.view_helpers import add_service_errors, message_of, next_url, posted

FOLLOW = access.Capability.FOLLOW_MOVES


@login_required
def refuse(request, pk):
    """The receiving side refuses a move with a reason; it returns to the developing side."""
    user = request.user
    move = get_object_or_404(Move.objects.incoming_for(user).pending().with_related(), pk=pk)
    if not transfers.is_answering_side(user, move):
        raise Http404("No such move.")
    form = RefuseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            transfers.move_refuse(
                move=move,
                user=user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The move of %(name)s is refused and returned to the developing side.")
                % {"name": move.member.name},
            )
            return redirect(next_url(request, reverse("moves:inbox")))
    return render(request, "moves/refuse.html", {"move": move, "form": form})


@login_required
@require_POST
def withdraw(request, pk):
    """The sender takes a move back before it is answered."""
    move = get_object_or_404(Move.objects.sent_by(request.user).with_related(), pk=pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        transfers.move_withdraw(
            move=move, user=request.user, note=form.cleaned_data.get("note", "")
        )
    except PermissionDenied as exc:
        raise Http404("No such move.") from exc
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(
            request, _("The move of %(name)s is withdrawn.") % {"name": move.member.name}
        )
    return redirect(next_url(request, reverse("moves:detail", args=[move.pk])))


@login_required
def resend(request, pk):
    """The developing side corrects the destination of a refused or expired move and resends."""
    user = request.user
    move = get_object_or_404(
        Move.objects.followed_by(user).filter(state__in=RETURNED_STATES).with_related(), pk=pk
    )
    initial = {
        "destination_code": move.destination_organization.code
        if move.destination_organization
        else "",
        "destination_county_code": move.destination_county_code,
        "destination_township": move.destination_township,
        "destination_other_province": move.destination_other_province,
        "note": move.note,
    }
    form = ResendForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            transfers.move_resend(move=move, user=user, **form.destination_fields())
        except PermissionDenied as exc:
            raise Http404("No such move.") from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The move of %(name)s is resent.") % {"name": move.member.name}
            )
            return redirect("moves:detail", pk=move.pk)
    return render(request, "moves/resend.html", {"move": move, "form": form})


@login_required
@require_POST
def batch(request):
    """Answer many arrivals at once: the inbox's ticks lead to a preview of what will change;
    applying it confirms or refuses them all, or none when any fails."""
    user = request.user
    access.require(user, FOLLOW)
    form = BatchForm(request.POST)
    if not form.is_valid():
        if "moves" in form.errors:
            messages.error(request, message_of(ValidationError(form.errors["moves"])))
            return redirect(next_url(request, reverse("moves:inbox")))
        return render(request, "moves/batch.html", {"form": form, "outcome": None})
    ids = form.cleaned_data["moves"]
    chosen = list(
        Move.objects.incoming_for(user)
        .filter(pk__in=ids)
        .with_related()
        .select_related("member__branch")
        .order_by("moved_on", "pk")
    )
    if len(chosen) != len(set(ids)):
        # A move outside the user's inbox: nothing tells whether it exists.
        raise Http404("No such move.")
    action = form.cleaned_data["action"]
    outcome = transfers.moves_answer_batch(
        moves=chosen,
        user=user,
        action=action,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
        apply=form.cleaned_data["apply"],
    )
    if outcome.applied:
        text = (
            _("%(count)d members confirmed as reported in.")
            if action == BatchAction.CONFIRM
            else _("%(count)d moves refused and returned to the developing side.")
        )
        messages.success(request, text % {"count": len(outcome.rows)})
        return redirect(next_url(request, reverse("moves:inbox")))
    if form.cleaned_data["apply"]:
        messages.error(
            request,
            _("%(count)d of the moves cannot be answered; none was changed.")
            % {"count": len(outcome.errors)},
        )
    return render(
        request,
        "moves/batch.html",
        {
            "form": form,
            "outcome": outcome,
            "action": action,
            "back": next_url(request, reverse("moves:inbox")),
        },
    )

"""Pages for moved members (流动团员) and graduates (学社衔接).

* the developing side's follow-up list: pending moves, overdue first, with contact and closing;
* the receiving side's inbox of members to confirm (报到);
* graduation dates of many class branches at once, the classes about to graduate, and bulk moves
  of a class's graduates from a form or a spreadsheet.

Views stay thin: moves are looked up through the scoped querysets of :class:`Move` (so that
anything outside the user's scope, or outside the side that may act, answers 404) and every write
goes through :mod:`members.moves`.
"""

import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import access
from branches.models import Organization
from members import moves
from members.forms_moves import (
    CloseForm,
    ContactForm,
    FillDateForm,
    GraduateMoveFormSet,
    GraduationRowFormSet,
    MoveForm,
    ReportForm,
    UploadForm,
)
from members.importing_moves import TEMPLATE_COLUMNS, class_import
from members.models import Move
from members.models.moves import (
    PENDING_STATES,
    DestinationKind,
    Reason,
    State,
    overdue_cutoff,
    overdue_days,
)
from youthleague.spreadsheets.writer import TableWriter

FOLLOW = access.Capability.FOLLOW_MOVES
PAGE_SIZE = 50
GRADUATION_PAGE_LIMIT = 300
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "pending_move_imports"

#: model field -> form field, for errors raised by the services
FORM_FIELDS = {
    "member": "id_number",
    "destination_organization": "destination_code",
    "destination_kind": NON_FIELD_ERRORS,
    "from_branch": NON_FIELD_ERRORS,
}


def _organization(request, capability):
    """The organisation named by ``?org=`` (default: the user's own), in scope and allowed."""
    user = request.user
    code = request.GET.get("org")
    organization = access.organization_for(user, code) if code else access.home_organization(user)
    if organization is None:
        raise Http404("No organisation.")
    access.require(user, capability, organization)
    return organization


def _posted(request):
    """The submitted data on a POST (even an empty one), None otherwise."""
    return request.POST if request.method == "POST" else None


def _next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _add_service_errors(form, error):
    """Show a ValidationError raised by a service on the form fields it concerns."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = FORM_FIELDS.get(field, field)
        if name != NON_FIELD_ERRORS and name not in form.fields:
            name = NON_FIELD_ERRORS
        form.add_error(None if name == NON_FIELD_ERRORS else name, errors)


def _message_of(error):
    return "；".join(error.messages)


# --- the developing side ------------------------------------------------------------------------

SHOW_FILTERS = {
    "pending": Q(state__in=PENDING_STATES),
    "overdue": None,  # filled per request: depends on today
    "reported": Q(state=State.REPORTED),
    "closed": Q(state=State.CLOSED),
}


@login_required
def follow_up(request):
    """The developing organisation's moved members, overdue first."""
    user = request.user
    organization = _organization(request, FOLLOW)
    show = request.GET.get("show", "pending")
    if show not in SHOW_FILTERS:
        show = "pending"
    cutoff = overdue_cutoff()
    filters = {**SHOW_FILTERS, "overdue": Q(state__in=PENDING_STATES, moved_on__lt=cutoff)}
    followed = Move.objects.followed_by(user).filter(
        member__developing_organization__path__startswith=organization.path
    )
    counts = followed.aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    chosen = followed.filter(filters[show]).with_related()
    if show in ("pending", "overdue"):
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
            "cutoff": cutoff,
            "overdue_days": overdue_days(),
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
            messages.error(request, _message_of(exc))
        else:
            messages.success(
                request, _("Contact with %(name)s recorded.") % {"name": move.member.name}
            )
    else:
        messages.error(request, _("Write down what the member said."))
    return redirect(_next_url(request, reverse("moves:detail", args=[move.pk])))


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
            messages.error(request, _message_of(exc))
        else:
            messages.success(
                request, _("The move of %(name)s is closed.") % {"name": move.member.name}
            )
    else:
        messages.error(request, _("Choose a reason for closing."))
    return redirect(_next_url(request, reverse("moves:detail", args=[move.pk])))


@login_required
def move_new(request):
    """Record one member's move; the member is found by ID number within the user's scope."""
    user = request.user
    access.require(user, FOLLOW)
    form = MoveForm(_posted(request), user=user, initial={"moved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            move = moves.move_create(member=form.member, user=user, **form.move_fields())
        except PermissionDenied:
            form.add_error("id_number", _("You may not record moves for this member."))
        except ValidationError as exc:
            _add_service_errors(form, exc)
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
    history = move.history.select_related("history_user").order_by("history_date", "history_id")
    return render(
        request,
        "moves/detail.html",
        {
            "move": move,
            "history": history,
            "can_follow": developing and move.is_pending,
            "can_confirm": move.is_pending and (receiving if move.is_in_system else developing),
            "contact_form": ContactForm(),
            "close_form": CloseForm(),
        },
    )


# --- the receiving side -------------------------------------------------------------------------


@login_required
def inbox(request):
    """Members moving into the user's organisations, to confirm when they report."""
    user = request.user
    organization = _organization(request, FOLLOW)
    incoming = Move.objects.incoming_for(user).filter(
        destination_organization__path__startswith=organization.path
    )
    waiting = incoming.pending().with_related().order_by("moved_on", "pk")
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    recent = incoming.filter(state=State.REPORTED).with_related().order_by("-reported_at")[:20]
    return render(
        request,
        "moves/inbox.html",
        {"organization": organization, "page": page, "recent": recent},
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
    branches = None
    if move.is_in_system and not move.destination_organization.is_branch:
        branches = moves.report_branch_choices(user, move)
    form = ReportForm(_posted(request), branches=branches, note_required=not move.is_in_system)
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
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has reported in.") % {"name": move.member.name})
            default = reverse("moves:inbox") if move.is_in_system else reverse("moves:follow_up")
            return redirect(_next_url(request, default))
    return render(request, "moves/confirm.html", {"move": move, "form": form})


# --- graduation (学社衔接) -----------------------------------------------------------------------


def _selected_ids(request):
    text = request.GET.get("ids", "")
    ids = [int(part) for part in text.split(",") if part.strip().isdigit()]
    return ids[:GRADUATION_PAGE_LIMIT]


@login_required
def graduation_dates(request):
    """Graduation dates, or a reason for having none, for many class branches at once."""
    user = request.user
    organization = _organization(request, access.Capability.SET_GRADUATION)
    branches = access.scope_queryset(
        user, Organization.objects.class_branches().subtree_of(organization)
    )
    ids = _selected_ids(request)
    if ids:
        branches = branches.filter(pk__in=ids)
    missing_only = request.GET.get("missing") == "1"
    if missing_only:
        branches = branches.filter(graduation_date__isnull=True, no_graduation_reason="")
    total = branches.count()
    branches = list(branches.order_by("path")[:GRADUATION_PAGE_LIMIT])
    initial = [
        {
            "branch": b.pk,
            "graduation_date": b.graduation_date,
            "no_graduation_reason": b.no_graduation_reason,
        }
        for b in branches
    ]
    formset = GraduationRowFormSet(_posted(request), initial=initial, prefix="rows")
    fill_form = FillDateForm(_posted(request))
    if request.method == "POST" and formset.is_valid() and fill_form.is_valid():
        changed = _apply_graduation(request, formset, fill_form.cleaned_data["fill_date"])
        if changed is not None:
            messages.success(request, _("%(count)d class branch(es) updated.") % {"count": changed})
            return redirect(request.get_full_path())
    rows = list(zip(branches, formset.forms, strict=False))
    return render(
        request,
        "moves/graduation_dates.html",
        {
            "organization": organization,
            "formset": formset,
            "fill_form": fill_form,
            "rows": rows,
            "total": total,
            "limit": GRADUATION_PAGE_LIMIT,
            "missing_only": missing_only,
            "selected": bool(ids),
        },
    )


def _apply_graduation(request, formset, fill_date):
    """Save the changed rows through the service; None (with messages) when rejected."""
    user = request.user
    posted = [form.cleaned_data["branch"] for form in formset.forms]
    by_id = access.scope_queryset(
        user, Organization.objects.class_branches().filter(pk__in=posted)
    ).in_bulk()
    changes = []
    for form in formset.forms:
        branch = by_id.get(form.cleaned_data["branch"])
        if branch is None:
            raise Http404("No such organisation.")
        day = form.cleaned_data["graduation_date"]
        reason = form.cleaned_data["no_graduation_reason"]
        unfilled = branch.graduation_date is None and not branch.no_graduation_reason
        if not day and not reason and fill_date and unfilled:
            day = fill_date
        if (day, reason) == (branch.graduation_date, branch.no_graduation_reason):
            continue
        if not day and not reason:
            form.add_error(
                "graduation_date", _("Give a graduation date or a reason for having none.")
            )
            return None
        changes.append((branch, day, reason))
    try:
        return moves.graduation_dates_set(changes=changes, user=user)
    except ValidationError as exc:
        messages.error(request, _message_of(exc))
        return None


@login_required
def graduates(request):
    """Class branches graduating soon, and those graduated that still hold members, with how many
    members are still to transfer."""
    organization = _organization(request, FOLLOW)
    upcoming, graduated = moves.graduating_classes(organization=organization)
    return render(
        request,
        "moves/graduates.html",
        {
            "organization": organization,
            "upcoming": upcoming,
            "graduated": graduated,
            "ahead": moves.GRADUATES_AHEAD_DAYS,
        },
    )


def _class_branch(request, code):
    branch = access.organization_for(request.user, code)
    if branch.kind != Organization.Kind.CLASS_BRANCH:
        raise Http404("Not a class branch.")
    access.require(request.user, FOLLOW, branch)
    return branch


def _pending_dir():
    folder = Path(getattr(settings, "IMPORT_PENDING_DIR", settings.MEDIA_ROOT / "pending-imports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@login_required
def graduating_class(request, code):
    """One class's graduates: record their moves from a form, one row per person, or from a
    spreadsheet (checked in a dry run first, then imported all or nothing)."""
    user = request.user
    branch = _class_branch(request, code)
    members = moves.class_members_with_moves(user=user, branch=branch)
    to_move = [m for m in members if m.pending_move is None]
    default_reason = Reason.EMPLOYMENT
    initial = [
        {"member": m.pk, "reason": default_reason, "moved_on": branch.graduation_date}
        for m in to_move
    ]
    action = request.POST.get("action") if request.method == "POST" else None
    formset = GraduateMoveFormSet(
        request.POST if action == "form" else None, initial=initial, prefix="grads"
    )
    upload_form = UploadForm(
        request.POST if action == "upload" else None,
        request.FILES if action == "upload" else None,
    )
    outcome, token = None, None
    table_import = class_import(branch)
    if action == "form" and formset.is_valid():
        created = _create_from_formset(formset, to_move, user)
        if created is not None:
            messages.success(request, _("%(count)d move(s) recorded.") % {"count": len(created)})
            return redirect("moves:class", code=branch.code)
    elif action == "upload" and upload_form.is_valid():
        token = secrets.token_hex(16)
        stored = _pending_dir() / f"{token}.xlsx"
        with stored.open("wb") as handle:
            for chunk in upload_form.cleaned_data["file"].chunks():
                handle.write(chunk)
        outcome = table_import.run(stored, user=user, dry_run=True)
        pending = request.session.get(SESSION_KEY, {})
        if outcome.ok:
            pending[token] = {"file": stored.name, "branch": branch.pk}
            request.session[SESSION_KEY] = pending
        else:
            stored.unlink(missing_ok=True)
            token = None
    elif action == "confirm":
        pending = request.session.get(SESSION_KEY, {})
        given = request.POST.get("token", "")
        entry = pending.pop(given, None) if given.isalnum() else None
        request.session[SESSION_KEY] = pending
        if entry is None or entry["branch"] != branch.pk:
            messages.error(request, _("The upload has expired; choose the file again."))
            return redirect("moves:class", code=branch.code)
        stored = _pending_dir() / entry["file"]
        try:
            outcome = table_import.run(stored, user=user, dry_run=False)
        finally:
            stored.unlink(missing_ok=True)
        if outcome.written:
            messages.success(request, outcome.summary())
            return redirect("moves:class", code=branch.code)
    by_id = {m.pk: m for m in to_move}
    rows = [(by_id.get(form.initial.get("member")), form) for form in formset.forms]
    return render(
        request,
        "moves/class.html",
        {
            "branch": branch,
            "members": members,
            "formset": formset,
            "rows": rows,
            "upload_form": upload_form,
            "outcome": outcome,
            "token": token,
            "table_import": table_import,
        },
    )


def _create_from_formset(formset, to_move, user):
    """Record the ticked rows, all or nothing; None (errors on the rows) when rejected."""
    allowed = {m.pk: m for m in to_move}
    entries, forms = [], []
    for form in formset.forms:
        if not form.cleaned_data.get("include"):
            continue
        member = allowed.get(form.cleaned_data.get("member"))
        if member is None:
            form.add_error(None, _("This member cannot be moved from this class any more."))
            return None
        entries.append({"member": member, **form.move_fields()})
        forms.append(form)
    if not entries:
        formset.nothing_ticked = True
        return None
    try:
        return moves.moves_create_bulk(entries=entries, user=user)
    except moves.MoveBatchError as exc:
        for index, error in exc.by_entry.items():
            _add_service_errors(forms[index], error)
        return None


@login_required
def class_template(request, code):
    """The spreadsheet to fill for a class: one row per member without a pending move."""
    user = request.user
    branch = _class_branch(request, code)
    members = [
        m for m in moves.class_members_with_moves(user=user, branch=branch) if not m.pending_move
    ]
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    with TableWriter(
        handle,
        title=_("Destinations of the graduates of %(name)s") % {"name": branch.name},
        columns=TEMPLATE_COLUMNS,
    ) as writer:
        for serial, member in enumerate(members, start=1):
            writer.write_row(
                [
                    serial,
                    member.name,
                    member.id_number,
                    "",
                    branch.graduation_date,
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    handle.seek(0)
    name = f"moves-{branch.code}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)

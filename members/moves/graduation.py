"""Pages of the school-to-society transfer (学社衔接): graduation dates of many class branches at
once, the classes about to graduate, and bulk moves of a class's graduates from a form or a
spreadsheet (checked in a dry run first, then imported all or nothing). Every write goes through
:mod:`members.moves.services`.
"""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import access
from branches.models import Organization
from branches.services import organization_close
from members.models.moves import Reason
from members.moves import services as moves
from members.moves.forms import (
    CloseClassForm,
    FillDateForm,
    GraduateMoveFormSet,
    GraduationRowFormSet,
    UploadForm,
)
from members.moves.importing import class_import
from members.view_helpers import (
    add_service_errors,
    message_of,
    posted,
    requested_organization,
)
from spreadsheets.exporting import export_response
from spreadsheets.uploads import (
    import_job_start,
    pending_dir,
    runs_in_background,
    upload_store,
)

FOLLOW = access.Capability.FOLLOW_MOVES
GRADUATION_PAGE_LIMIT = 300
SESSION_KEY = "pending_move_imports"


def _selected_ids(request):
    text = request.GET.get("ids", "")
    ids = [int(part) for part in text.split(",") if part.strip().isdigit()]
    return ids[:GRADUATION_PAGE_LIMIT]


@login_required
def graduation_dates(request):
    """Graduation dates, or a reason for having none, for many class branches at once."""
    user = request.user
    organization = requested_organization(request, access.Capability.SET_GRADUATION)
    branches = access.scope_queryset(
        user, Organization.objects.class_branches().with_parent_name().subtree_of(organization)
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
    formset = GraduationRowFormSet(posted(request), initial=initial, prefix="rows")
    fill_form = FillDateForm(posted(request))
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
        messages.error(request, message_of(exc))
        return None


@login_required
def graduates(request):
    """Class branches graduating soon, and those graduated that still hold members, with how many
    members are still to transfer."""
    organization = requested_organization(request, FOLLOW)
    upcoming, graduated = moves.graduating_classes(organization=organization)
    closable = []
    if access.can(request.user, access.Capability.MANAGE_ORGANIZATIONS, organization):
        closable = [
            branch
            for branch in moves.graduated_empty_classes(organization=organization)
            if access.can_delete_organization(request.user, branch)
        ]
    return render(
        request,
        "moves/graduates.html",
        {
            "organization": organization,
            "upcoming": upcoming,
            "graduated": graduated,
            "closable": closable,
            "close_form": CloseClassForm(
                auto_id=False, initial={"closed_on": timezone.localdate()}
            ),
            "ahead": moves.GRADUATES_AHEAD_DAYS,
        },
    )


@login_required
@require_POST
def close_class(request, code):
    """Close (撤销) a graduated class branch once it is empty, from the graduates' page; the
    service names whatever still keeps it open."""
    branch = _class_branch(request, code)
    access.require(request.user, access.Capability.MANAGE_ORGANIZATIONS, branch)
    form = CloseClassForm(request.POST)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, "；".join(errors))
    else:
        try:
            organization_close(
                organization=branch,
                user=request.user,
                on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("%(name)s is closed.") % {"name": branch.name})
    parent = Organization.objects.get_parent(branch)
    target = parent if access.is_in_scope(request.user, parent) else branch
    return redirect(f"{reverse('moves:graduates')}?org={target.code}")


def _class_branch(request, code):
    branch = access.organization_for(request.user, code)
    if branch.kind != Organization.Kind.CLASS_BRANCH:
        raise Http404("Not a class branch.")
    access.require(request.user, FOLLOW, branch)
    return branch


def _class_table_import(branch):
    """The class's import, which a background worker can rebuild (see TableImport.origin)."""
    return dataclasses.replace(
        class_import(branch), origin=(f"{__name__}.class_import_by_code", {"code": branch.code})
    )


def class_import_by_code(code):
    return _class_table_import(Organization.objects.get(code=code))


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
    table_import = _class_table_import(branch)
    if action == "form" and formset.is_valid():
        created = _create_from_formset(formset, to_move, user)
        if created is not None:
            messages.success(request, _("%(count)d move(s) recorded.") % {"count": len(created)})
            return redirect("moves:class", code=branch.code)
    elif action == "upload" and upload_form.is_valid():
        upload = upload_form.cleaned_data["file"]
        name = upload_store(upload)
        if runs_in_background(upload):
            job = import_job_start(
                user=user,
                table_import=table_import,
                file_name=name,
                back_url=reverse("moves:class", args=[branch.code]),
            )
            return redirect("spreadsheets:import_job", job.pk)
        token = name.removesuffix(".xlsx")
        stored = pending_dir() / name
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
        stored = pending_dir() / entry["file"]
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
            add_service_errors(forms[index], error)
        return None


@login_required
def class_template(request, code):
    """The spreadsheet to fill for a class: one row per member without a pending move."""
    branch = _class_branch(request, code)
    return export_response(request, kind="class_template", organization=branch)

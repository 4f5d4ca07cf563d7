"""A branch's pages of a registration year: its bulk form and import (a committee's pages are in
:mod:`reports.registration.views_committee`).

Every organisation comes from :mod:`branches.access` (404 outside the user's scope); every write
goes through :mod:`reports.registration.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import access
from reports.campaigns import deadlines_for
from reports.models import (
    EvaluationGrade,
    RegistrationResult,
)
from reports.registration import services
from reports.registration.forms import RegistrationFormSet
from reports.registration.importing import registration_import
from reports.submissions.exporting import StoredFile
from spreadsheets.exporting import export_response
from spreadsheets.uploads import (
    UploadForm,
    import_job_start,
    pending_dir,
    runs_in_background,
    upload_store,
)

PENDING_KEY = "pending_registration_imports"
REPORTS_KEY = "registration_error_reports"


def _year(request):
    """The registration years and the one asked for (``?campaign=``, default the newest)."""
    years = list(services.registration_years())
    slug = request.GET.get("campaign") or request.POST.get("campaign")
    chosen = next((c for c in years if c.slug == slug), None)
    return years, chosen or (years[0] if years else None)


def _branch(request, code):
    """The branch ``code``: 404 outside scope or not a branch, 403 for who may not record."""
    branch = access.organization_for(request.user, code)
    if not branch.is_branch:
        raise Http404("Not a branch.")
    if not access.can_record_registration(request.user, branch):
        raise PermissionDenied
    return branch


def _branch_url(branch, campaign):
    url = reverse("reports:registration_branch", args=[branch.code])
    return f"{url}?campaign={campaign.slug}" if campaign else url


@login_required
def branch_page(request, code):
    """The branch's bulk form: everyone 注册/合格 unless recorded otherwise; one submit saves all
    rows or none. The same results can come from a spreadsheet (dry run, then import)."""
    user = request.user
    branch = _branch(request, code)
    years, campaign = _year(request)
    context = {"branch": branch, "years": years, "campaign": campaign}
    if campaign is None:
        return render(request, "reports/registration/branch.html", context)
    members = list(services.members_to_register(branch))
    by_pk = {m.pk: m for m in members}
    records = services.records_of(campaign, branch)
    registration = services.branch_registration_of(campaign, branch)
    locked = services.is_locked(registration)
    initial = [_initial(m, records.get(m.pk)) for m in members]
    action = request.POST.get("action") if request.method == "POST" else None
    if action and locked and action != "confirm":
        messages.error(
            request,
            _(
                "The registration has been submitted; it can be changed only after the "
                "committee above returns it."
            ),
        )
        return redirect(_branch_url(branch, campaign))
    formset = RegistrationFormSet(
        request.POST if action == "save" else None, initial=initial, prefix="reg"
    )
    upload_form = UploadForm(
        request.POST if action == "upload" else None,
        request.FILES if action == "upload" else None,
    )
    if locked:
        for form in formset.forms:
            for field in form.fields.values():
                field.disabled = True
    table_import = registration_import(campaign, branch)
    outcome, token, report_token, problems = None, None, None, []
    if action == "save":
        saved = _save(request, formset, by_pk, campaign, branch, problems)
        if saved is not None:
            messages.success(
                request, _("Saved the registration of %(count)d member(s).") % {"count": saved}
            )
            return redirect(_branch_url(branch, campaign))
    elif action == "upload" and upload_form.is_valid():
        upload = upload_form.cleaned_data["file"]
        name = upload_store(upload)
        if runs_in_background(upload):
            job = import_job_start(
                user=user,
                table_import=table_import,
                file_name=name,
                back_url=_branch_url(branch, campaign),
            )
            return redirect("spreadsheets:import_job", job.pk)
        token = name.removesuffix(".xlsx")
        stored = pending_dir() / name
        report = pending_dir() / f"registration-errors-{token[:16]}.xlsx"
        outcome = table_import.run(stored, user=user, dry_run=True, error_report=str(report))
        if outcome.ok:
            pending = request.session.get(PENDING_KEY, {})
            pending[token] = {"file": stored.name, "branch": branch.pk, "campaign": campaign.pk}
            request.session[PENDING_KEY] = pending
        else:
            stored.unlink(missing_ok=True)
            token = None
            if outcome.error_report_rows:
                report_token = report.stem.rsplit("-", 1)[-1]
                reports = request.session.get(REPORTS_KEY, {})
                reports[report_token] = {
                    "file": report.name,
                    "rows": outcome.error_report_rows,
                    "branch": branch.pk,
                }
                request.session[REPORTS_KEY] = reports
    elif action == "confirm":
        pending = request.session.get(PENDING_KEY, {})
        given = request.POST.get("token", "")
        entry = pending.pop(given, None) if given.isalnum() else None
        request.session[PENDING_KEY] = pending
        if entry is None or entry["branch"] != branch.pk or entry["campaign"] != campaign.pk:
            messages.error(request, _("The upload has expired; choose the file again."))
            return redirect(_branch_url(branch, campaign))
        stored = pending_dir() / entry["file"]
        try:
            outcome = table_import.run(stored, user=user, dry_run=False)
        finally:
            stored.unlink(missing_ok=True)
        if outcome.written:
            messages.success(request, outcome.summary())
            return redirect(_branch_url(branch, campaign))
    rows = [(by_pk.get(_member_id(form)), form) for form in formset.forms]
    (deadline,) = deadlines_for(branch, [campaign])
    context.update(
        breadcrumb=access.breadcrumb(user, branch),
        rows=rows,
        formset=formset,
        problems=problems,
        registration=registration,
        locked=locked,
        deadline=deadline,
        missing=len(members) - len(records),
        may_submit=not locked and bool(members),
        upload_form=upload_form,
        outcome=outcome,
        token=token,
        report_token=report_token,
        table_import=table_import,
    )
    return render(request, "reports/registration/branch.html", context)


def _initial(member, record):
    if record is None:
        return {
            "member": member.pk,
            "result": RegistrationResult.REGISTERED,
            "reason": "",
            "grade": EvaluationGrade.QUALIFIED,
        }
    return {
        "member": member.pk,
        "result": record.result,
        "reason": record.reason,
        "grade": record.grade,
    }


def _member_id(form):
    try:
        return int(form["member"].value())
    except (TypeError, ValueError):
        return None


def _save(request, formset, by_pk, campaign, branch, problems):
    """Save every row through the service; None, with ``problems`` naming each member, when
    any row is rejected."""
    forms = formset.forms
    if not formset.is_valid():
        for form in forms:
            member = by_pk.get(_member_id(form))
            for errors in form.errors.values():
                for text in errors:
                    problems.append(f"{services.person(member) if member else '—'}：{text}")
        return None
    entries = []
    for form in forms:
        member = by_pk.get(form.cleaned_data["member"])
        if member is None:
            form.add_error(None, _("This person is no longer an active member of this branch."))
            problems.append(_("A row names someone no longer active in this branch; reload."))
            return None
        entries.append({"member": member, **{k: form.cleaned_data[k] for k in _FIELDS}})
    try:
        return services.registrations_save(
            campaign=campaign, branch=branch, user=request.user, entries=entries
        )
    except services.RegistrationBatchError as exc:
        for index, error in exc.by_entry.items():
            forms[index].add_error(None, error.messages)
        problems.extend(exc.messages)
    except ValidationError as exc:
        problems.extend(exc.messages)
    return None


_FIELDS = ("result", "reason", "grade")


@login_required
@require_POST
def branch_submit(request, code):
    """Send the branch's registration up for certification."""
    branch = _branch(request, code)
    campaign = _year(request)[1]
    if campaign is None:
        raise Http404("No registration year.")
    try:
        services.branch_registration_submit(campaign=campaign, branch=branch, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("The registration was submitted to the committee above."))
    return redirect(_branch_url(branch, campaign))


@login_required
def branch_sheet(request, code):
    """The branch's members with what is recorded, to fill in and import."""
    branch = _branch(request, code)
    campaign = _year(request)[1]
    if campaign is None:
        raise Http404("No registration year.")
    return export_response(
        request,
        kind="registration_sheet",
        organization=branch,
        options={"campaign": campaign.slug},
    )


@login_required
def error_report(request, code, token):
    """The error report of the user's own rejected upload (kept in their session)."""
    branch = _branch(request, code)
    entry = request.session.get(REPORTS_KEY, {}).get(token) if token.isalnum() else None
    if entry is None or entry["branch"] != branch.pk:
        raise Http404("No such report.")
    report = pending_dir() / entry["file"]
    if not report.exists():
        raise Http404("No such report.")
    return export_response(
        request,
        kind="registration_errors",
        organization=branch,
        stored=StoredFile(file=report, rows=entry["rows"]),
    )

"""The school reconciliation page of an organisation and the explanation form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from branches import access
from reports import schools
from reports.dashboard import breadcrumb
from reports.forms_schools import ExplanationForm
from reports.models.schools import FIRST_YEAR, LAST_YEAR
from youthleague.db_router import replica_reads


def _organization(request):
    """The organisation of ``?org=`` (default: the user's own), 404 outside the user's scope."""
    user = request.user
    if access.role_of(user) is None:
        raise Http404("No organisation.")
    return access.requested_organization(
        user, request.GET.get("org"), access.Capability.VIEW_DASHBOARD
    )


def _year(request):
    """``?year=`` when given (404 if not a year), otherwise the newest year with figures."""
    raw = request.GET.get("year")
    if not raw:
        return schools.latest_year()
    try:
        year = int(raw)
    except ValueError:
        raise Http404("No such year.") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("No such year.")
    return year


def _page_url(organization, year):
    query = {"org": organization.code}
    if year:
        query["year"] = year
    return f"{reverse('reports:schools')}?{urlencode(query)}"


def _trail(user, organization):
    """The breadcrumb: the ancestors the user may open, then the organisation."""
    return breadcrumb(user, organization)


@login_required
@replica_reads
def reconciliation(request):
    """Schools of the subtree against the education figures, private schools first."""
    organization = _organization(request)
    year = _year(request)
    result = schools.reconciliation(organization, year)
    return render(
        request,
        "reports/schools/reconciliation.html",
        {
            "result": result,
            "organization": organization,
            "year": result.year,
            "years": schools.education_years(),
            "trail": _trail(request.user, organization),
            "may_explain": access.can(request.user, access.Capability.EXPLAIN, organization),
            "is_school": organization.is_school,
        },
    )


@login_required
def explain(request):
    """Write or rewrite the explanation of one school (``?school=CODE``) or of the committee."""
    organization = _organization(request)
    year = _year(request)
    if year is None:
        raise Http404("No education figures.")
    code = request.GET.get("school", "")
    if code:
        target = schools.school_target(request.user, year, code)
    else:
        target = schools.committee_target(request.user, year, organization)
    access.require(request.user, access.Capability.EXPLAIN, target.governing)
    back = _page_url(organization, year)
    initial = {"text": target.explanation.text} if target.explanation else {}
    form = ExplanationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            schools.explanation_save(
                user=request.user, target=target, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, _("The explanation has been saved."))
            return redirect(back)
    summary = None
    if target.line is None:
        lines = schools.school_lines(organization, year, explanations=False)
        summary = schools.summarize(organization, year, lines)
    return render(
        request,
        "reports/schools/explain.html",
        {
            "form": form,
            "target": target,
            "line": target.line,
            "summary": summary,
            "organization": organization,
            "year": year,
            "back": back,
            "history": schools.explanation_history(target.explanation),
        },
    )

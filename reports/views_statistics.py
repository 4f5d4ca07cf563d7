"""Breakdowns of a committee's members, the annual statistics against last year, and the
explanations of declines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from branches import access
from branches.models import Organization
from reports.breakdowns import breakdown as breakdown_of
from reports.breakdowns import dimension
from reports.charts import count_chart
from reports.dashboard import breadcrumb
from reports.forms_statistics import BreakdownForm, DeclineExplanationForm
from reports.models.schools import FIRST_YEAR, LAST_YEAR
from reports.statistics.comparison import (
    can_explain,
    current_year,
    decline_explanation_save,
    explanation_history,
    statistics_for,
)
from reports.statistics.figures import FIGURES_BY_NAME
from youthleague.db_router import replica_reads


def _organization(request, param="org"):
    """The organisation of ``?org=`` (default: the user's own), 404 outside the user's scope."""
    user = request.user
    if access.role_of(user) is None:
        raise Http404("No organisation.")
    return access.requested_organization(
        user, request.GET.get(param), access.Capability.VIEW_DASHBOARD
    )


def _year(request):
    """``?year=`` when given (404 if not a year), otherwise the current year."""
    raw = request.GET.get("year")
    if not raw:
        return current_year()
    try:
        year = int(raw)
    except ValueError:
        raise Http404("No such year.") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("No such year.")
    return year


@login_required
@replica_reads
def breakdown(request):
    """The active members of a committee's subtree by one or two attributes, and per child."""
    organization = _organization(request)
    # Only a submitted choice is checked: the page opened from a link shows the default.
    form = BreakdownForm(request.GET if "by" in request.GET else None)
    by, then = form.dimension_names()
    result = breakdown_of(organization, dimension(by), dimension(then))
    query = {"org": organization.code, "by": result.first.name}
    if result.second is not None:
        query["then"] = result.second.name
    return render(
        request,
        "reports/breakdown.html",
        {
            "organization": organization,
            "trail": breadcrumb(request.user, organization),
            "form": form,
            "result": result,
            "chart": count_chart([(label, n) for _v, label, n in result.first_totals()]),
            "export_query": urlencode(query),
            "by": by,
            "then": then or "",
        },
    )


def _statistics_url(name, organization, year):
    return f"{reverse(name)}?{urlencode({'org': organization.code, 'year': year})}"


@login_required
@replica_reads
def statistics(request):
    """团内统计: the year's figures of each child against last year's frozen figures."""
    organization = _organization(request)
    year = _year(request)
    result = statistics_for(organization, year)
    return render(
        request,
        "reports/statistics.html",
        {
            "organization": organization,
            "trail": breadcrumb(request.user, organization),
            "year": year,
            "in_progress": year >= current_year(),
            "result": result,
            "may_explain": can_explain(request.user, organization),
        },
    )


@login_required
@replica_reads
def declines(request):
    """The declines of the organisation and its children that need an explanation."""
    organization = _organization(request)
    year = _year(request)
    result = statistics_for(organization, year)
    user = request.user
    return render(
        request,
        "reports/statistics_declines.html",
        {
            "organization": organization,
            "trail": breadcrumb(user, organization),
            "year": year,
            "result": result,
            "rows": [
                (line, comparison, can_explain(user, line.organization))
                for line, comparison in result.declines
            ],
        },
    )


@login_required
def explain(request):
    """Write or rewrite the explanation of one figure's decline (``?org=&year=&figure=``)."""
    organization = _organization(request)
    year = _year(request)
    figure = FIGURES_BY_NAME.get(request.GET.get("figure", ""))
    if figure is None or not figure.explain_declines:
        raise Http404("No such figure.")
    access.require(request.user, access.Capability.EXPLAIN, organization)
    parent = Organization.objects.get_parent(organization) if organization.depth > 1 else None
    page_of = parent if parent is not None and access.is_in_scope(request.user, parent) else None
    back = _statistics_url("reports:statistics_declines", page_of or organization, year)
    result = statistics_for(organization, year)
    comparison = next(c for c in result.lines[-1].comparisons if c.figure.name == figure.name)
    initial = {"text": comparison.explanation.text} if comparison.explanation else {}
    form = DeclineExplanationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decline_explanation_save(
                user=request.user,
                organization=organization,
                year=year,
                figure=figure.name,
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, _("The explanation has been saved."))
            return redirect(back)
    return render(
        request,
        "reports/statistics_explain.html",
        {
            "organization": organization,
            "year": year,
            "figure": figure,
            "comparison": comparison,
            "form": form,
            "back": back,
            "history": explanation_history(comparison.explanation),
        },
    )

"""Pages of the number ledger: the next free number, the ledger and the batch look-up."""

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import access
from branches.models import Organization
from members.models import format_number
from members.numbers import ledger, lookup, reservations
from members.numbers.forms import LookupForm
from spreadsheets.exporting import export_response
from youthleague.db_router import replica_reads


@login_required
@require_POST
def number_next(request):
    """Reserve the next free number of the developing organisation posted (its id) for the form
    posted (``form_key``: the same form's next click gets the same number back), as JSON."""
    user = request.user
    raw = request.POST.get("organization", "")
    if raw:
        organization = (
            access.pickable_organizations(user).filter(pk=raw).first() if raw.isdigit() else None
        )
    else:
        organization = access.home_organization(user)
    if organization is None or not access.is_in_scope(user, organization):
        return JsonResponse({"error": _("No such organisation.")}, status=HTTPStatus.NOT_FOUND)
    year = request.POST.get("year", "")
    try:
        issued = reservations.number_reserve(
            organization=organization,
            user=user,
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            form_key=request.POST.get("form_key", ""),
        )
    except PermissionDenied:
        return JsonResponse(
            {"error": _("You may not take numbers for this organisation.")},
            status=HTTPStatus.FORBIDDEN,
        )
    except ValidationError as exc:
        return JsonResponse({"error": "；".join(exc.messages)}, status=HTTPStatus.CONFLICT)
    return JsonResponse(
        {
            "number": format_number(issued.number),
            "range": issued.number_range.span_text,
            "organization": organization.name,
            "expires_at": timezone.localtime(issued.expires_at).strftime("%Y-%m-%d %H:%M"),
            "message": _(
                "Number %(number)s is reserved for this form until %(time)s (range %(range)s); "
                "save the member before then, or it returns to the free pool."
            )
            % {
                "number": format_number(issued.number),
                "range": issued.number_range.span_text,
                "time": timezone.localtime(issued.expires_at).strftime("%H:%M"),
            },
        }
    )


def _organization_param(request):
    """The organisation named by ``?org=CODE`` (404 outside scope), or the user's own."""
    return access.requested_organization(request.user, request.GET.get("org"))


def _with_percent(figures):
    ratio = figures["entry_ratio"]
    figures["entry_percent"] = "—" if ratio is None else f"{ratio:.1%}"
    return figures


@login_required
@replica_reads
def ledger_page(request):
    """An organisation's ranges, its figures year by year (available numbers of open years,
    unaccounted numbers of closed ones), its children's figures and its unaccounted spans."""
    organization = _organization_param(request)
    access.require(request.user, access.Capability.VIEW_DASHBOARD, organization)
    by_child = ledger.ledger_by_child(organization)
    children = [
        (child, _with_percent(by_child[child.pk]))
        for child in Organization.objects.children_of(organization).only("pk", "code", "name")
    ]
    limit = ledger.SPANS_SHOWN
    spans = ledger.unaccounted_spans(organization, limit=limit + 1)
    years = ledger.ledger_years(organization)
    context = {
        "organization": organization,
        "breadcrumb": access.breadcrumb(request.user, organization),
        "figures": _with_percent(ledger.figures_of_years(years)),
        "years": years,
        "ranges": organization.number_ranges.select_related("created_by").order_by("first"),
        "children": children,
        "spans": [(a, b, b - a + 1) for a, b in spans[:limit]],
        "spans_cut": len(spans) > limit,
        "may_explain": access.can(request.user, access.Capability.EXPLAIN, organization),
    }
    return render(request, "members/ledger.html", context)


@login_required
@replica_reads
def lookup_page(request):
    """Paste up to 10,000 development numbers or ID numbers; see or download their whereabouts."""
    organization = access.home_organization(request.user)
    access.require(request.user, access.Capability.VIEW_DASHBOARD, organization)
    form = LookupForm(request.POST or None)
    findings = None
    if request.method == "POST" and form.is_valid():
        if "download" in request.POST:
            # The file's rows run the look-up, which logs it as downloaded.
            return export_response(
                request,
                kind="lookup",
                organization=organization,
                options={"lines": form.cleaned_data["lines"]},
            )
        findings = lookup.look_up(form.cleaned_data["lines"], user=request.user)
    counts = {}
    for finding in findings or []:
        counts[finding.whereabouts] = counts.get(finding.whereabouts, 0) + 1
    context = {
        "form": form,
        "findings": findings[: lookup.FINDINGS_SHOWN] if findings else findings,
        "findings_cut": bool(findings) and len(findings) > lookup.FINDINGS_SHOWN,
        "total": len(findings or []),
        "counts": [
            (lookup.Whereabouts(key).label, key, counts[key])
            for key in lookup.Whereabouts.values
            if key in counts
        ],
        "organization": organization,
    }
    return render(request, "members/lookup.html", context)

from django import template

from reports.ranking import percent

register = template.Library()


@register.filter
def figure_value(figures, figure):
    """A figure's value as a table shows it: counts as numbers, ratios as percentages."""
    value = figures.get(figure.name)
    if value is None:
        return "—"
    return percent(value) if figure.is_ratio else value


@register.filter
def as_percent(value):
    return "—" if value is None else percent(value)


@register.filter
def signed_points(value):
    """A change of a ratio in percentage points: +3.5 / -1.0."""
    if value is None:
        return ""
    return f"{value * 100:+.1f}"


@register.simple_tag(takes_context=True)
def sort_link(context, name):
    """The query string that sorts by ``name``, flipping the order when already sorted by it."""
    request = context["request"]
    params = request.GET.copy()
    descending = params.get("sort") == name and params.get("order") != "desc"
    params["sort"] = name
    params["order"] = "desc" if descending else "asc"
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def with_org(context, code):
    """The current query string pointing at another organisation (drill-down keeps the campaign)."""
    params = context["request"].GET.copy()
    params["org"] = code
    return "?" + params.urlencode()


@register.inclusion_tag("reports/_downloads.html", takes_context=True)
def download_buttons(context, kind, organization, **options):
    """The download buttons of an official table wherever it is shown: the plain .xlsx, and
    下载（盖章） when the table may be stamped by this user as ``organization`` (the stamp rule
    itself is :func:`reports.exporting.stamp_check`)."""
    from django.http import QueryDict
    from django.urls import reverse

    from branches import access
    from spreadsheets.tables import get_table

    request = context["request"]
    table = get_table(kind)
    params = QueryDict(mutable=True)
    params["org"] = organization.code
    for name, value in options.items():
        if value not in (None, ""):
            params[name] = value
    url = reverse("reports:download", args=[kind])
    may_stamp = table.stampable and access.home_organization(request.user) == organization
    stamped = params.copy()
    stamped["stamp"] = "1"
    return {
        "kind": kind,
        "label": table.label,
        "url": f"{url}?{params.urlencode()}",
        "stamped_url": f"{url}?{stamped.urlencode()}" if may_stamp else "",
    }

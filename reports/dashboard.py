"""What a dashboard page shows: the children of one organisation against the campaigns.

Every part is a bounded number of queries, whatever the size of the tree; tests pin the count.
"""

from dataclasses import dataclass, field

from django.db.models import F

from branches import access
from branches.models import Organization
from members.models import OrganizationTally
from reports import columns, schools
from reports.campaigns import deadlines_for, default_campaign, light
from reports.charts import bar_chart
from reports.metrics import all_figures, children_and_total
from reports.metrics.entries import late_developers
from reports.models import Campaign
from reports.snapshots import latest_snapshot, snapshot_values

LIST_LIMIT = 20


@dataclass
class Row:
    organization: Organization
    figures: dict
    light: str = "grey"
    value: float | None = None
    previous: float | None = None

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 4)


@dataclass
class WhoHasNot:
    children_without_entries: list = field(default_factory=list)
    late_developers: list = field(default_factory=list)
    late_developers_total: int = 0
    undated_class_branches: list = field(default_factory=list)
    undated_class_branches_total: int = 0


@dataclass
class Dashboard:
    organization: Organization
    breadcrumb: list
    campaigns: list
    campaign: Campaign | None
    deadlines: list
    figures: list
    rows: list
    total: dict
    chart: object
    who_has_not: WhoHasNot
    snapshot: object
    sort: str
    descending: bool
    #: the year of education figures the school columns read (None without figures)
    education_year: int | None = None
    #: every figure group, each marked shown or not (the column chooser)
    column_groups: list = field(default_factory=list)

    @property
    def groups_param(self):
        return columns.groups_param(self.column_groups)

    @property
    def upcoming_deadlines(self):
        return [d for d in self.deadlines if not d.is_past]

    @property
    def past_deadlines(self):
        """Deadlines already passed, collapsed into one line on the page."""
        return [d for d in self.deadlines if d.is_past]


def sort_rows(rows, sort, descending):
    names = {f.name for f in all_figures()}
    if sort in names:

        def key(row):
            value = row.figures.get(sort)
            return (value is None, value if value is not None else 0)

        ordered = sorted(rows, key=key, reverse=descending)
        if descending:  # keep "no value" rows last either way
            ordered.sort(key=lambda r: r.figures.get(sort) is None)
        return ordered
    return sorted(rows, key=lambda r: r.organization.name, reverse=descending)


def who_has_not(organization, rows):
    result = WhoHasNot(
        children_without_entries=[r.organization for r in rows if not r.figures.get("new_members")]
    )
    late = (
        OrganizationTally.objects.filter(
            entered_late__gt=0, organization__path__startswith=organization.path
        )
        .values("entered_late", code=F("organization__code"), name=F("organization__name"))
        .order_by("-entered_late", "organization__code")
    )
    # Always counted, so that the page costs the same number of queries whatever the data.
    result.late_developers = list(late[:LIST_LIMIT])
    result.late_developers_total = late_developers(organization)
    undated = Organization.objects.class_branches().filter(
        path__startswith=organization.path, graduation_date__isnull=True, no_graduation_reason=""
    )
    # Class branch names repeat in every school: each reads with its parent's name.
    result.undated_class_branches = list(undated.with_parent_name().order_by("path")[:LIST_LIMIT])
    result.undated_class_branches_total = undated.count()
    return result


def build_dashboard(
    organization,
    *,
    user=None,
    campaign_slug=None,
    sort="",
    descending=False,
    today=None,
    groups=None,
):
    """The dashboard of ``organization`` as ``user`` sees it (the breadcrumb depends on who).

    ``groups`` is the ``?groups=`` choice of figure groups to show; without one the table shows
    the campaign's own group.
    """
    campaigns = list(Campaign.objects.active())
    campaign = next((c for c in campaigns if c.slug == campaign_slug), None)
    if campaign is None:
        campaign = default_campaign(campaigns)
    snapshot = latest_snapshot(campaign)
    children, total = children_and_total(organization, campaign)
    rows = [Row(child, values) for child, values in children]
    previous = snapshot_values(snapshot, [row.organization for row in rows])
    if campaign is not None and campaign.metric:
        for row in rows:
            row.value = row.figures.get(campaign.metric)
            row.light = light(campaign, row.value)
            row.previous = previous.get(row.organization.pk, {}).get(campaign.metric)
    rows = sort_rows(rows, sort, descending)
    chart = None
    if campaign is not None and campaign.metric and rows:
        # The chart always reads as a ranking, whatever order the table is sorted in.
        ranked = sorted(rows, key=lambda r: (r.value is None, -(r.value or 0)))
        chart = bar_chart(
            [(row.organization.short_name, row.value, row.light) for row in ranked],
            threshold=float(campaign.threshold),
        )
    column_groups = columns.chosen_groups(campaign, groups)
    return Dashboard(
        organization=organization,
        breadcrumb=access.breadcrumb(user, organization),
        campaigns=campaigns,
        campaign=campaign,
        deadlines=deadlines_for(organization, campaigns, today=today),
        figures=columns.shown_figures(column_groups),
        rows=rows,
        total=total,
        chart=chart,
        who_has_not=who_has_not(organization, rows),
        snapshot=snapshot,
        sort=sort,
        descending=descending,
        education_year=schools.year_for(campaign),
        column_groups=column_groups,
    )

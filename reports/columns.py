"""Which figure groups a dashboard table shows: the campaign's own group first, others on request.

A dashboard has two dozen figures; on one screen (or one A4 page) only a few read. The table
opens on the group holding the campaign's figure and the user adds others with ``?groups=``
(a comma-separated list of group slugs), which works without JavaScript. The same choice serves
the page, its print and its .xlsx download.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports.metrics import groups

#: Group slugs are the figure modules' names; their labels are the column chooser's words.
LABELS = {
    "entries": _("Entries"),
    "ledger": _("Number ledger"),
    "graduation": _("Graduation dates"),
    "schools": _("Schools"),
    "moves": _("Moves"),
    "transfers": _("Transfers"),
    "cadres": _("Cadres"),
    "status": _("Members in the League"),
    "registration": _("Registration and evaluation"),
}
#: When no campaign names a figure, the dashboard opens on the entries.
DEFAULT_GROUP = "entries"


@dataclass(frozen=True)
class ColumnGroup:
    slug: str
    label: object
    figures: tuple
    shown: bool = False


def group_slug(group):
    return type(group).__module__.rsplit(".", 1)[-1]


def all_groups(campaign=None, *, every=False):
    """The figure groups read for ``campaign`` (every registered one with ``every``) as
    ``(slug, group)``, in column order; a module may register several groups under one slug."""
    return [(group_slug(group), group) for group in groups(campaign, every=every)]


def _by_slug(campaign):
    """``{slug: [figure, ...]}`` in column order, the groups of one module together."""
    figures = {}
    for slug, group in all_groups(campaign):
        figures.setdefault(slug, []).extend(group.figures)
    return figures


def campaign_group(campaign):
    """The slug of the group holding ``campaign``'s figure (the default group without one)."""
    metric = getattr(campaign, "metric", "") or ""
    for slug, figures in _by_slug(campaign).items():
        if any(f.name == metric for f in figures):
            return slug
    return DEFAULT_GROUP


def parse_groups(raw, campaign=None):
    """The known group slugs named in ``?groups=`` (comma-separated; unknown ones ignored)."""
    known = set(_by_slug(campaign))
    if raw == "all":
        return known
    return {part.strip() for part in (raw or "").split(",") if part.strip() in known}


def chosen_groups(campaign, raw=None):
    """Every group, each marked shown or not: those in ``raw`` or, without a choice, the
    campaign's own group."""
    shown = parse_groups(raw, campaign) or {campaign_group(campaign)}
    return [
        ColumnGroup(
            slug=slug,
            label=LABELS.get(slug, slug),
            figures=tuple(figures),
            shown=slug in shown,
        )
        for slug, figures in _by_slug(campaign).items()
    ]


def shown_figures(column_groups):
    """The figures of the shown groups, in column order."""
    return [figure for group in column_groups if group.shown for figure in group.figures]


def groups_param(column_groups):
    """The ``?groups=`` value that reproduces this choice."""
    return ",".join(group.slug for group in column_groups if group.shown)

"""The compliance figures of an organisation's children as plain data (JSON, spreadsheets)."""

from reports.campaigns import deadlines_for, light
from reports.metrics import figures_for_children


def compliance_rows(parent, campaign=None, today=None):
    """One dict per child of ``parent``: ``code``, ``name`` and every figure by its name; with a
    campaign also the deadline each child was given and where it stands against the threshold."""
    rows = []
    for child, figures in figures_for_children(parent, campaign):
        row = {"code": child.code, "name": child.name, **figures}
        if campaign is not None:
            (deadline,) = deadlines_for(child, [campaign], today=today)
            row["deadline"] = deadline.deadline.isoformat()
            row["days_left"] = deadline.days_left
            if campaign.metric:
                value = figures.get(campaign.metric)
                row["named"] = campaign.is_named(value)
                row["light"] = light(campaign, value)
        rows.append(row)
    return rows

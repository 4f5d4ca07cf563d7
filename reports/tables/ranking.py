"""The ranking of a campaign's level (通报 annex): one row per ranked organisation, worst first."""

from django.utils.translation import gettext_lazy as _

from reports.models import Campaign
from reports.ranking import ranking
from reports.tables.base import OfficialTable, register
from spreadsheets import columns
from spreadsheets.columns import TableColumn
from spreadsheets.writer import Kind

COLUMNS = (
    TableColumn("排名", kind=Kind.INTEGER, width=8),
    TableColumn("组织代码", width=14),
    TableColumn("组织名称", width=28),
    TableColumn("指标值", kind=Kind.PERCENT, width=12),
    TableColumn("阈值", kind=Kind.PERCENT, width=10),
    TableColumn("是否通报", width=10),
)


def _campaign(campaign):
    return (
        campaign if isinstance(campaign, Campaign) else Campaign.objects.ranked().get(slug=campaign)
    )


def title(organization, campaign=None, **options):
    campaign = _campaign(campaign)
    return f"{campaign.year}年{campaign.name}：{campaign.get_metric_display()}排名（{organization.name}）"


def rows(organization, user=None, campaign=None, **options):
    campaign = _campaign(campaign)
    for entry in ranking(campaign, organization):
        yield [
            entry.rank,
            entry.organization.code,
            entry.organization.name,
            entry.value,
            float(campaign.threshold),
            "是" if entry.named else "否",
        ]


def count(organization, user=None, campaign=None, **options):
    return len(ranking(_campaign(campaign), organization))


RANKING = register(
    OfficialTable(
        kind="ranking",
        title=title,
        columns=columns.writer_columns(COLUMNS),
        rows=rows,
        count=count,
        options=("campaign",),
        label=_("Campaign ranking"),
    )
)

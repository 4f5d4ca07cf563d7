"""The ranking of a campaign's level (通报 annex): one row per ranked organisation, worst first."""

from django.utils.translation import gettext_lazy as _

from reports.models import Campaign
from reports.ranking import ranking
from reports.tables.base import OfficialTable, register
from spreadsheets.writer import Column, Kind

COLUMNS = (
    Column("排名", Kind.INTEGER, 8),
    Column("组织代码", Kind.TEXT, 14),
    Column("组织名称", Kind.TEXT, 28),
    Column("指标值", Kind.PERCENT, 12),
    Column("阈值", Kind.PERCENT, 10),
    Column("是否通报", Kind.TEXT, 10),
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
        columns=COLUMNS,
        rows=rows,
        count=count,
        options=("campaign",),
        label=_("Campaign ranking"),
    )
)

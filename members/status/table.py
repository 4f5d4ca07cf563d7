"""The list of members reaching 28 as a spreadsheet: those past 28 without an exit first, then
those turning 28 within the days asked for (``days``, default ``REACHING_DAYS``), as the page
lists them. Rows stream from the page's own two querysets."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import privacy
from members.models.status import REACHING_DAYS
from members.tables import roster
from spreadsheets.tables import OfficialTable, register
from spreadsheets.writer import Column, Kind

COLUMNS = (
    Column("序号", Kind.INTEGER, 8),
    Column("姓名", width=12),
    Column(roster.BRANCH, width=30),
    Column(roster.BRANCH_CODE, width=16),
    Column("公民身份号码", width=20),
    Column("出生日期", Kind.DATE, 12),
    Column("年满28周岁日期", Kind.DATE, 14),
    Column("情况", width=14),
    Column("是否担任团干部", width=12),
)


def _days(days):
    try:
        days = int(days)
    except (TypeError, ValueError):
        return REACHING_DAYS
    return days if 0 < days <= 366 else REACHING_DAYS


def _lists(organization, days):
    from members.status.views import reaching_lists

    return reaching_lists(organization, today=timezone.localdate(), days=_days(days))


def rows(organization, user=None, days=None, **options):
    turning, past = _lists(organization, days)
    serial = 0
    for members, state in ((past, "已满28周岁"), (turning, "即将年满28周岁")):
        for member in members.iterator():
            serial += 1
            yield [
                serial,
                member.name,
                member.branch.name,
                member.branch.code,
                privacy.id_number_for(user, member),
                member.birth_date,
                member.turns_28_on,
                state,
                "是" if member.holds_post else "否",
            ]


def count(organization, user=None, days=None, **options):
    turning, past = _lists(organization, days)
    return turning.count() + past.count()


REACHING_28 = register(
    OfficialTable(
        kind="reaching_28",
        title=lambda organization, **options: f"{organization.name}年满28周岁团员名单",
        columns=COLUMNS,
        rows=rows,
        count=count,
        options=("days",),
        label=_("Members reaching 28"),
        stampable=False,
    )
)

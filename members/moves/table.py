"""The developing side's moved members as a spreadsheet, with the follow-up page's filter
(``show``: pending, overdue, reported or closed; default pending), overdue first."""

from django.utils.translation import gettext_lazy as _

from members.models import Move
from members.models.moves import Reason, State
from members.moves.filters import follow_up_filter
from spreadsheets.tables import OfficialTable, register
from spreadsheets.widgets import chinese_label
from spreadsheets.writer import Column, Kind

COLUMNS = (
    Column("序号", Kind.INTEGER, 8),
    Column("姓名", width=12),
    Column("发展团组织", width=30),
    Column("原所在团支部", width=30),
    Column("流动原因", width=14),
    Column("流动日期", Kind.DATE, 12),
    Column("去向", width=36),
    Column("状态", width=10),
    Column("是否逾期", width=10),
)


def moves_followed(organization, user=None, show=None):
    """Moves of members developed in ``organization``'s subtree that ``user`` follows up
    (every such move for the server's operator, ``user`` None)."""
    moves = Move.objects.all() if user is None else Move.objects.followed_by(user)
    return (
        moves.filter(member__developing_organization__path__startswith=organization.path)
        .filter(follow_up_filter(show))
        .with_related()
        .overdue_first()
    )


def rows(organization, user=None, show=None, **options):
    for serial, move in enumerate(moves_followed(organization, user, show), start=1):
        yield [
            serial,
            move.member.name,
            move.member.developing_organization.name if move.member.developing_organization else "",
            move.from_branch.name if move.from_branch else "",
            chinese_label(Reason, move.reason),
            move.moved_on,
            move.destination_display,
            chinese_label(State, move.state),
            "是" if move.is_overdue() else "否",
        ]


def count(organization, user=None, show=None, **options):
    return moves_followed(organization, user, show).count()


MOVES = register(
    OfficialTable(
        kind="moves",
        title=lambda organization, **options: f"{organization.name}流动团员跟踪表",
        columns=COLUMNS,
        rows=rows,
        count=count,
        options=("show",),
        label=_("Moved members"),
        stampable=False,
    )
)

"""团员构成表: a committee's active members by child and by one or two attributes."""

from django.utils.translation import gettext_lazy as _

from branches import access
from reports.breakdowns import DEFAULT_DIMENSION, breakdown, dimension
from reports.tables.base import OfficialTable, register
from spreadsheets.writer import Column, Kind

COLUMNS = (
    Column("序号", Kind.INTEGER, 6),
    Column("组织代码", Kind.TEXT, 14),
    Column("组织名称", Kind.TEXT, 28),
    Column("分组一", Kind.TEXT, 20),
    Column("分组二", Kind.TEXT, 20),
    Column("团员数", Kind.INTEGER, 10),
)


def dimensions(by=None, then=None):
    """The dimensions asked for; an unknown first one falls back to the default."""
    first = dimension(by) or dimension(DEFAULT_DIMENSION)
    second = dimension(then)
    return first, (second if second is not None and second != first else None)


def title(organization, by=None, then=None, **options):
    first, second = dimensions(by, then)
    labels = "、".join(str(d.label) for d in (first, second) if d is not None)
    return f"{organization.name}团员构成（{labels}）"


def _records(organization, by, then):
    first, second = dimensions(by, then)
    return breakdown(organization, first, second).records()


def rows(organization, user=None, by=None, then=None, **options):
    if user is not None and not access.is_in_scope(user, organization):
        return
    for serial, (org, first, second, n) in enumerate(_records(organization, by, then), start=1):
        name = f"{org.name}（合计）" if org.pk == organization.pk else org.name
        yield [serial, org.code, name, str(first), str(second), n]


def count(organization, user=None, by=None, then=None, **options):
    return sum(1 for _record in _records(organization, by, then))


BREAKDOWN = register(
    OfficialTable(
        kind="breakdown",
        title=title,
        columns=COLUMNS,
        rows=rows,
        count=count,
        options=("by", "then"),
        label=_("Members by attribute"),
        stampable=False,
    )
)

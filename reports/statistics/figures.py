"""The figures of the annual statistics, each declared once, and how they are counted.

Every figure is a count over one organisation's subtree, so an organisation's figure is the sum
of its children's (and its own rows'). :func:`year_counts` counts all of them for every
organisation at one depth with four grouped queries (members and their breakdowns, members
developed, members who left, cadres), whatever the size of the tree.

A year's figures are read from dates, as of December 31 of the year: members at year end are
those who had joined by then and had not left by then. Members are counted in their current
branch; once a year is frozen (:mod:`reports.statistics.freeze`) its numbers no longer move.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from branches.models import Cadre
from members.choices import Education, Ethnicity, Gender, Identity
from members.models import EXITS, IN_LEAGUE, Member, MemberStatus, StatusChange
from reports.metrics.base import level_key

#: 学历 counted as 大专及以上
COLLEGE_OR_ABOVE = (
    Education.JUNIOR_COLLEGE,
    Education.UNDERGRADUATE,
    Education.MASTER,
    Education.DOCTORATE,
)


@dataclass(frozen=True)
class StatisticsFigure:
    """One line of the annual statistics. ``explain_declines``: a fall beyond the threshold
    against last year needs a written explanation (not for exits, where a fall is good news)."""

    name: str
    label: object
    explain_declines: bool = True


FIGURES = (
    StatisticsFigure("members", _("members at year end")),
    StatisticsFigure("developed", _("members developed during the year")),
    StatisticsFigure("left", _("members who left during the year"), explain_declines=False),
    StatisticsFigure("left_aged_out", _("left: reached the age limit"), explain_declines=False),
    StatisticsFigure("left_withdrawn", _("left: voluntarily"), explain_declines=False),
    StatisticsFigure("left_stopped", _("left: membership stopped"), explain_declines=False),
    StatisticsFigure("left_expelled", _("left: expelled"), explain_declines=False),
    StatisticsFigure("left_deceased", _("left: deceased"), explain_declines=False),
    StatisticsFigure("cadres", _("cadres in post at year end")),
    StatisticsFigure("female", _("female members")),
    StatisticsFigure("minority", _("members of ethnic minorities")),
    StatisticsFigure("college", _("members with junior college education or above")),
    StatisticsFigure("students", _("student members")),
)
FIGURES_BY_NAME = {figure.name: figure for figure in FIGURES}
EXIT_FIGURES = {
    MemberStatus.AGED_OUT: "left_aged_out",
    MemberStatus.WITHDRAWN: "left_withdrawn",
    MemberStatus.STOPPED: "left_stopped",
    MemberStatus.EXPELLED: "left_expelled",
    MemberStatus.DECEASED: "left_deceased",
}
assert set(EXIT_FIGURES) == set(EXITS)


def year_end(year):
    return date(year, 12, 31)


def empty():
    return {figure.name: 0 for figure in FIGURES}


def members_at_year_end(year):
    """Members who had joined by December 31 of ``year`` and had not left by then."""
    end = year_end(year)
    return Member.objects.filter(join_date__lte=end).filter(
        Q(status__in=IN_LEAGUE) | Q(status_since__gt=end)
    )


def _grouped(queryset, path_field, prefix, depth, **counts):
    rows = (
        queryset.filter(**{f"{path_field}__startswith": prefix})
        .annotate(key=level_key(path_field, depth))
        .values("key")
        .annotate(**counts)
        .order_by()
    )
    return {row.pop("key"): row for row in rows}


def year_counts(prefix, depth, year):
    """``{path: {figure: count}}`` of ``year`` for the organisations at ``depth`` under the
    path ``prefix`` ("" for the whole tree); rows of an organisation above ``depth`` come keyed
    by its own shorter path (a committee's own cadres). Four queries."""
    found = {}

    def merge(rows):
        for path, values in rows.items():
            found.setdefault(path, empty()).update(values)

    merge(
        _grouped(
            members_at_year_end(year),
            "branch__path",
            prefix,
            depth,
            members=Count("id"),
            female=Count("id", filter=Q(gender=Gender.FEMALE)),
            minority=Count("id", filter=~Q(ethnicity=Ethnicity.HAN)),
            college=Count("id", filter=Q(education__in=COLLEGE_OR_ABOVE)),
            students=Count("id", filter=Q(identity=Identity.STUDENT)),
        )
    )
    merge(
        _grouped(
            Member.objects.filter(join_date__year=year),
            "developing_organization__path",
            prefix,
            depth,
            developed=Count("id"),
        )
    )
    exits = StatusChange.objects.filter(
        state=StatusChange.State.APPROVED, status__in=EXITS, effective_on__year=year
    )
    merge(
        _grouped(
            exits,
            "member__branch__path",
            prefix,
            depth,
            left=Count("id"),
            **{name: Count("id", filter=Q(status=status)) for status, name in EXIT_FIGURES.items()},
        )
    )
    end = year_end(year)
    cadres = Cadre.objects.filter(start_date__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=end)
    )
    merge(_grouped(cadres, "organization__path", prefix, depth, cadres=Count("id")))
    return found


def add(total, values):
    for name in total:
        total[name] += values.get(name) or 0
    return total

"""The demo's annual statistics: last year frozen, with two declines against this year.

Last year is frozen from the demo's members as they stood on its December 31. So that the demo
always shows both cases whatever the number of members seeded, the frozen figures of two cities
are raised above this year's (and the province's total with them, so that the sums agree): 福州
市's members at year end fell and the city explained why; 厦门市's members developed fell and
nobody has explained it yet.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from branches.demo import DEMO_LOGINS
from branches.models import Organization
from reports.models import YearEndFigures
from reports.statistics.comparison import decline_explanation_save, statistics_for
from reports.statistics.freeze import statistics_freeze

#: (city code, figure, explanation or None): the declines the demo shows
DECLINES = (
    (
        "350100",
        "members",
        "2名团支部随企业改制撤销，部分团员超龄离团，已按规定办理离团手续；"
        "另有外出务工团员已转出组织关系。",
    ),
    ("350200", "developed", None),
)


def _raise(organization, year, figure, by):
    for path in (organization.path, *organization.ancestor_paths()):
        row = YearEndFigures.objects.filter(organization__path=path, year=year).first()
        if row is not None:
            row.figures[figure] = row.figures.get(figure, 0) + by
            row.save(update_fields=["figures"])


def build_statistics(today=None):
    """Freeze last year and make the demo's declines; returns last year."""
    year = (today or timezone.localdate()).year
    last = year - 1
    statistics_freeze(year=last)
    root = Organization.objects.get(depth=1)
    current = {
        line.organization.code: {c.figure.name: c.current for c in line.comparisons}
        for line in statistics_for(root, year).lines
    }
    users = {login.code: login.username for login in DEMO_LOGINS}
    for code, figure, text in DECLINES:
        city = Organization.objects.filter(code=code).first()
        if city is None:
            continue
        frozen = YearEndFigures.objects.get(organization=city, year=last).figures.get(figure, 0)
        wanted = round(current.get(code, {}).get(figure, 0) * 1.25) + 5
        if wanted > frozen:
            _raise(city, last, figure, wanted - frozen)
        if text:
            user = get_user_model().objects.filter(username=users.get(code)).first()
            decline_explanation_save(
                user=user, organization=city, year=year, figure=figure, text=text
            )
    return last

"""Freezing the year-end figures (December 31): once a year is frozen it never changes.

The task (:mod:`reports.tasks`) runs on December 31 shortly before midnight and the
``freeze_statistics`` command is the cron fallback; both call :func:`statistics_freeze_due`,
which freezes the year that is due in the project's time zone: on December 31 the year ending
that day, on any other day the year that has ended. Freezing a year already frozen does nothing.
"""

import logging
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from branches.models import Organization
from reports.models import YearEndFigures
from reports.statistics.figures import add, empty, year_counts

logger = logging.getLogger(__name__)
BATCH = 2000
#: the local time on December 31 at which the task freezes the year
FREEZE_AT = time(23, 50)


def year_due(now=None):
    """The year whose figures may be frozen at ``now`` (local time): on December 31 that year,
    otherwise the year before."""
    today = timezone.localtime(now).date() if now is not None else timezone.localdate()
    return today.year if (today.month, today.day) == (12, 31) else today.year - 1


def is_frozen(year):
    return YearEndFigures.objects.for_year(year).exists()


def statistics_freeze(*, year):
    """Freeze ``year``'s figures of every open organisation, unless the year is already frozen.

    Returns the number of organisations frozen (0 when the year was frozen before). One grouped
    count per depth of the tree, then bulk inserts, all in one transaction.
    """
    with transaction.atomic():
        # Lock out a concurrent freeze of the same year (the task and the cron fallback).
        list(Organization.objects.select_for_update().filter(depth=1).values_list("pk"))
        if is_frozen(year):
            return 0
        organizations = list(
            Organization.objects.current().order_by("path").values_list("pk", "path", "depth")
        )
        deepest = max((depth for _pk, _path, depth in organizations), default=0)
        totals = {path: empty() for _pk, path, _depth in organizations}
        for depth in range(1, deepest + 1):
            for path, values in year_counts("", depth, year).items():
                # Grouped at ``depth``, an organisation's row is its whole subtree, its own
                # cadres included; shorter keys are its ancestors' own rows, counted at theirs.
                if len(path) == depth * Organization.steplen and path in totals:
                    add(totals[path], values)
        frozen_at = timezone.now()
        YearEndFigures.objects.bulk_create(
            (
                YearEndFigures(
                    organization_id=pk, year=year, figures=totals[path], frozen_at=frozen_at
                )
                for pk, path, _depth in organizations
            ),
            batch_size=BATCH,
        )
    logger.info("Froze the statistics of %d for %d organisations.", year, len(organizations))
    return len(organizations)


def statistics_freeze_due(now=None):
    """Freeze the year due at ``now`` (:func:`year_due`); ``(year, organisations frozen)``."""
    year = year_due(now)
    return year, statistics_freeze(year=year)


def next_freeze_moment(now=None):
    """The next December 31 at :data:`FREEZE_AT`, local time, after ``now``."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    moment = timezone.make_aware(datetime.combine(date(year, 12, 31), FREEZE_AT))
    if moment <= now:
        moment = timezone.make_aware(datetime.combine(date(year + 1, 12, 31), FREEZE_AT))
    return moment

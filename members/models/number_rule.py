"""The number rule of a member record: whereabouts facts about development numbers, asked one
at a time of the database or loaded up front for a whole roster, and the check that a member may
hold a number ("号号有下落"): in the developing organisation's ranges, not used, not registered.
"""

import bisect

from django.core.exceptions import ValidationError
from django.db import connection

from members import validators
from members.models.member import Member
from members.models.numbers import (
    ALREADY_USED,
    MAX_NUMBER,
    NOT_IN_RANGES,
    IssuedNumber,
    NumberRange,
    UnusedNumber,
    number_year,
)


def in_clause_size():
    """How many values one ``IN (...)`` may hold here: SQLite limits a statement's parameters,
    PostgreSQL does not (a roster's 10,000 numbers are then one query, not a dozen)."""
    return (connection.features.max_query_params or 10_001) - 1


class DatabaseFacts:
    """Whereabouts facts about single numbers, each answered by a query."""

    def deepest_holder(self, number):
        """The path of the organisation holding the deepest range that contains ``number``."""
        return (
            NumberRange.objects.containing(number)
            .order_by("-level")
            .values_list("organization__path", flat=True)
            .first()
        )

    def year_has_ranges(self, year):
        return NumberRange.objects.of_year([year]).exists()

    def holder_of(self, number):
        """The pk of the member holding ``number``, or None."""
        return Member.objects.filter(development_number=number).values_list("pk", flat=True).first()

    def is_registered(self, number):
        return UnusedNumber.objects.containing(number).exists()

    def issued_to(self, number):
        return (
            IssuedNumber.objects.filter(number=number)
            .values_list("organization__path", flat=True)
            .first()
        )


class NumberBook(DatabaseFacts):
    """The same facts for a known set of numbers, loaded up front in a few queries per year,
    so that a whole roster is checked without a query per row."""

    def __init__(self, numbers):
        numbers = sorted({n for n in numbers if n is not None})
        by_year = {}
        for number in numbers:
            by_year.setdefault(number_year(number), []).append(number)
        self._levels = {}  # level -> sorted [(first, last, holder path)], disjoint within a level
        self._registered = []
        self._years = set()
        for year, group in by_year.items():
            low, high = group[0], group[-1]
            if NumberRange.objects.of_year([year]).exists():
                self._years.add(year)
            spans = NumberRange.objects.overlapping(low, high).values_list(
                "first", "last", "level", "organization__path"
            )
            for first, last, level, path in spans:
                self._levels.setdefault(level, []).append((first, last, path))
            self._registered += UnusedNumber.objects.overlapping(low, high).values_list(
                "first", "last"
            )
        for spans in self._levels.values():
            spans.sort()
        self._registered = sorted((first, last, "") for first, last in self._registered)
        self._holders, self._issued = {}, {}
        size = in_clause_size()
        for start in range(0, len(numbers), size):
            chunk = numbers[start : start + size]
            self._holders.update(
                Member.objects.filter(development_number__in=chunk).values_list(
                    "development_number", "pk"
                )
            )
            self._issued.update(
                IssuedNumber.objects.filter(number__in=chunk).values_list(
                    "number", "organization__path"
                )
            )

    @staticmethod
    def _find(spans, number):
        index = bisect.bisect_right(spans, (number, MAX_NUMBER + 1, "")) - 1
        if index >= 0 and spans[index][0] <= number <= spans[index][1]:
            return spans[index]
        return None

    def deepest_holder(self, number):
        for level in sorted(self._levels, reverse=True):
            found = self._find(self._levels[level], number)
            if found:
                return found[2]
        return None

    def year_has_ranges(self, year):
        return year in self._years

    def holder_of(self, number):
        return self._holders.get(number)

    def is_registered(self, number):
        # Register entries never overlap, so the same search finds the one that could contain it.
        return self._find(self._registered, number) is not None

    def issued_to(self, number):
        return self._issued.get(number)


def development_number_problem(
    number, *, developing_organization, member_pk=None, ranged=True, facts=None
):
    """Why a member developed by ``developing_organization`` may not hold ``number``, or None.

    With ``ranged`` (joins from 2017 on) the number must lie in a range held by the developing
    organisation or an ancestor and in no range handed to another subtree. Whatever the year,
    no number is both used and registered, and a number issued to one organisation is not used
    by another's member. The messages never say who holds a number. ``facts`` answers the
    questions (a :class:`NumberBook` when many numbers are checked at once).
    """
    facts = facts or DatabaseFacts()
    developer_path = developing_organization.path
    if ranged:
        holder = facts.deepest_holder(number)
        if holder is not None:
            if not developer_path.startswith(holder):
                return NOT_IN_RANGES
        elif facts.year_has_ranges(number_year(number)):
            # The rule applies once the province has recorded ranges for the number's year.
            return NOT_IN_RANGES
    used_by = facts.holder_of(number)
    if used_by is not None and used_by != member_pk:
        return ALREADY_USED
    if facts.is_registered(number):
        return ALREADY_USED
    issued_to = facts.issued_to(number)
    if issued_to is not None and not developer_path.startswith(issued_to):
        return ALREADY_USED
    return None


def member_number_problem(member, *, facts=None):
    """Why ``member`` may not hold its development number, or None.

    A function of the member and of ``facts`` alone (a :class:`NumberBook` loaded for a whole
    roster, or None for one query per question). A number whose shape is wrong (12 digits, the
    join year) is left to ``Member.clean()``, which says so.
    """
    number = member.development_number
    if number is None or not member.join_date or member.developing_organization_id is None:
        return None
    if len(str(number)) != 12 or number_year(number) not in validators.development_number_years(
        member.join_date
    ):
        return None
    return development_number_problem(
        number,
        developing_organization=member.developing_organization,
        member_pk=member.pk,
        ranged=validators.number_required(member.join_date),
        facts=facts,
    )


def check_member_number(member, *, facts=None):
    """Raise ValidationError on 发展团员编号 when ``member`` may not hold its number.

    The one way the rule is asked: the member services, the member form and the roster import
    call it, after the record's own checks (``full_clean``) found the number well formed.
    """
    problem = member_number_problem(member, facts=facts)
    if problem:
        raise ValidationError({"development_number": [problem]})

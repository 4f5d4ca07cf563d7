"""Development numbers as figures (bounds, year prefix, display through
:func:`members.validators.format_development_number`) and the querysets of the number spans:
ranges and the unused register. :mod:`members.models.numbers` holds the models and re-exports
these names."""

from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members import validators

MIN_NUMBER = 10**11
MAX_NUMBER = 10**12 - 1
#: a number divided by this (integer division) is its year prefix
YEAR_DIVISOR = 10**8

NOT_IN_RANGES = _("The number is not in this organisation's ranges.")
ALREADY_USED = _("This number is already used; contact the committee above.")


def number_year(number):
    return number // YEAR_DIVISOR


def format_number(number):
    return validators.format_development_number(number)


def format_span(first, last):
    """``201935000120–201935000199``, or the single number."""
    if first == last:
        return format_number(first)
    return f"{format_number(first)}–{format_number(last)}"


class NumberRangeQuerySet(models.QuerySet):
    def containing(self, number):
        return self.filter(first__lte=number, last__gte=number)

    def overlapping(self, first, last):
        return self.filter(first__lte=last, last__gte=first)

    def held_by_subtree_of(self, organization):
        return self.filter(organization__path__startswith=organization.path)

    def of_year(self, years):
        """Ranges whose numbers start with one of ``years``."""
        condition = Q()
        for year in years:
            condition |= Q(first__gte=year * YEAR_DIVISOR, first__lt=(year + 1) * YEAR_DIVISOR)
        return self.filter(condition)


class NumberStatus(models.TextChoices):
    UNUSED = "unused", pgettext_lazy("number status", "unused")
    VOIDED = "voided", pgettext_lazy("number status", "voided")
    LOST = "lost", pgettext_lazy("number status", "lost")


class SpanContains(models.Func):
    """``first <= number <= last`` of the row's span.

    PostgreSQL answers it as ``int8range(first, last, '[]') @> number``, the expression of the
    register's exclusion constraint, so that its GiST index finds the one entry at any register
    size (the two comparisons would scan the b-tree from one end). Elsewhere: the comparisons.
    """

    output_field = models.BooleanField()

    def __init__(self, number):
        super().__init__(
            F("first"), F("last"), Value(int(number), output_field=models.BigIntegerField())
        )

    def as_sql(self, compiler, connection, **extra_context):
        (first, first_params), (last, last_params), (number, number_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = f"({first} <= {number} AND {last} >= {number})"
        return sql, (*first_params, *number_params, *last_params, *number_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        (first, first_params), (last, last_params), (number, number_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = f"int8range({first}, {last}, '[]') @> ({number})::bigint"
        return sql, (*first_params, *last_params, *number_params)


class UnusedNumberQuerySet(models.QuerySet):
    def containing(self, number):
        """The register entry holding ``number`` (at most one: entries never overlap)."""
        return self.filter(SpanContains(number))

    def overlapping(self, first, last):
        return self.filter(first__lte=last, last__gte=first)

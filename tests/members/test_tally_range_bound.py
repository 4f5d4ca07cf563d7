"""The stored-count rebuild counts each range's register entries with a look-up bounded on both
sides of the (first, last) index: with only ``first >= range.first`` bounding it, every range
read the register to its end, and the rebuild grew with ranges × register entries (9 minutes at
2,000,000 members instead of seconds)."""

from members.models import NumberRange
from members.tallies import _range_counts


def test_the_register_count_of_a_range_bounds_the_first_number_from_above():
    sql = str(NumberRange.objects.annotate(**_range_counts()).query)
    assert 'U0."first" >= ("members_numberrange"."first")' in sql
    assert 'U0."first" <= ("members_numberrange"."last")' in sql

"""Spans of numbers without a whereabouts, in SQL: behind the ledger's list of unaccounted
numbers (:func:`members.numbers.ledger.unaccounted_spans`) and the issuing of the next free
number (:mod:`members.numbers.services`).
"""

from django.db import connection

from members.models import (
    IssuedNumber,
    Member,
    NumberRange,
    UnusedNumber,
)

_GAPS_SQL = """
WITH taken(s, e) AS ({taken}),
edges AS (
    SELECT s, MAX(e) OVER (ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM taken
)
SELECT COALESCE(prev_end, %s) + 1, s - 1 FROM edges WHERE s > COALESCE(prev_end, %s) + 1
UNION ALL
SELECT COALESCE(m, %s) + 1, %s FROM (SELECT MAX(e) AS m FROM taken) AS tail WHERE COALESCE(m, %s) < %s
ORDER BY 1
LIMIT %s
"""


def _taken_sql(first, last, *, issued, handed_on_level):
    """The parts of [first, last] that have a whereabouts, as a UNION of (start, end) rows."""
    quote = connection.ops.quote_name
    member = Member._meta
    number = quote(member.get_field("development_number").column)
    parts = [
        (
            f"SELECT {number}, {number} FROM {quote(member.db_table)} "
            f"WHERE {number} >= %s AND {number} <= %s",
            [first, last],
        ),
        (
            f'SELECT "first", "last" FROM {quote(UnusedNumber._meta.db_table)} '
            f'WHERE "first" >= %s AND "last" <= %s',
            [first, last],
        ),
    ]
    if issued:
        parts.append(
            (
                f"SELECT number, number FROM {quote(IssuedNumber._meta.db_table)} "
                f"WHERE number >= %s AND number <= %s",
                [first, last],
            )
        )
    if handed_on_level is not None:
        parts.append(
            (
                f'SELECT "first", "last" FROM {quote(NumberRange._meta.db_table)} '
                f'WHERE level = %s AND "first" >= %s AND "last" <= %s',
                [handed_on_level, first, last],
            )
        )
    return " UNION ALL ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def free_spans(first, last, *, limit, issued=False, handed_on_level=None):
    """Spans of [first, last] that no member uses and no register entry covers, lowest first.

    With ``issued`` issued numbers count as taken; with ``handed_on_level`` so do the ranges of
    that tree level inside [first, last] (the ones handed on to children). The database finds
    the gaps with a window over the sorted taken spans, so nothing is loaded into memory.
    """
    taken, params = _taken_sql(first, last, issued=issued, handed_on_level=handed_on_level)
    below = first - 1
    sql = _GAPS_SQL.format(taken=taken)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, below, below, below, last, below, last, limit])
        return [(int(a), int(b)) for a, b in cursor.fetchall()]

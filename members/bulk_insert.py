"""Inserting many validated members with their history rows, as fast as the database allows.

On PostgreSQL the members and their history records go in with ``COPY ... FROM STDIN`` (the
members' ids reserved first from their sequence, so that the history rows can name them); on
other databases (SQLite in development and tests) with ``bulk_create``. Either way it is one
statement group inside the caller's transaction: the database's constraints (unique ID and
development numbers, the check constraints) stay the last guard for the whole batch, and a
violation rolls everything back.

Derived fields (pinyin initials, the entry deadline) are computed once per distinct value of
what they derive from (:class:`DerivedFields`), with the rules of :mod:`members.models.member`.
"""

import io

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from members.models import Member
from members.models import member as member_rules

#: how the members are written on this database: "copy" (PostgreSQL) or "bulk" (elsewhere)
COPY, BULK = "copy", "bulk"


def insert_method():
    return COPY if connection.vendor == "postgresql" else BULK


class DerivedFields:
    """The rules of ``Member.refresh_derived_fields``, each computed once per distinct value."""

    def __init__(self):
        self._initials = {}
        self._deadlines = {}

    def initials(self, name):
        try:
            return self._initials[name]
        except KeyError:
            value = self._initials[name] = member_rules.name_initials(name)
            return value

    def deadline(self, join_date):
        try:
            return self._deadlines[join_date]
        except KeyError:
            value = self._deadlines[join_date] = member_rules.entry_deadline_for(join_date)
            return value


def insert_members(members, *, user=None, change_reason=None, batch_size=1000):
    """Insert ``members`` (validated, not saved) with one history record each; returns them
    with their ids. Runs inside the caller's transaction (opens one if there is none)."""
    now = timezone.now()
    derived = DerivedFields()
    for member in members:
        if member.entered_at is None:
            member.entered_at = now
        member.refresh_derived_fields(derived)
    if not members:
        return members
    if insert_method() == COPY:
        return _copy(members, user=user, change_reason=change_reason or "", when=now)
    return bulk_create_with_history(
        members,
        Member,
        batch_size=batch_size,
        default_user=user,
        default_change_reason=change_reason,
        default_date=now,
    )


# --- PostgreSQL -----------------------------------------------------------------------------


def _text(value):
    """A value in COPY's text format (``\\N`` for NULL, tabs, newlines and backslashes escaped)."""
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _copy_rows(cursor, table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(map(_text, row)))
        buffer.write("\n")
    buffer.seek(0)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
    raw = cursor.cursor  # the driver's own cursor

    def execute(sql, params, many, context):
        with connection.wrap_database_errors:
            if hasattr(raw, "copy"):  # psycopg 3
                with raw.copy(sql) as copy:
                    copy.write(params[0].getvalue())
            else:  # psycopg2
                raw.copy_expert(sql, params[0])

    # Through the connection's execute wrappers, as every other statement: what instruments or
    # guards the database (tests that make it fail, tracing) sees the COPY too.
    cursor._execute_with_wrappers(sql, [buffer], many=False, executor=execute)


def _copy(members, *, user, change_reason, when):
    meta = Member._meta
    history = Member.history.model
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    tracked = [f.attname for f in history.tracked_fields if f.attname != "id"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [meta.db_table, len(members)],
        )
        for member, (pk,) in zip(members, cursor.fetchall(), strict=True):
            member.pk = pk
            member._state.adding = False
            member._state.db = connection.alias
        _copy_rows(
            cursor,
            meta.db_table,
            ["id", *(f.column for f in fields)],
            ([m.pk, *(getattr(m, f.attname) for f in fields)] for m in members),
        )
        user_id = user.pk if user is not None else None
        columns = [history._meta.get_field(name).column for name in tracked]
        _copy_rows(
            cursor,
            history._meta.db_table,
            [
                "id",
                *columns,
                "history_date",
                "history_change_reason",
                "history_type",
                "history_user_id",
            ],
            (
                [
                    m.pk,
                    *(getattr(m, name) for name in tracked),
                    when,
                    change_reason,
                    "+",
                    user_id,
                ]
                for m in members
            ),
        )
    return members

"""The member table's indexes: each one serves a query, none repeats another."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalogue"),
]


def member_indexes():
    """(name, columns, operator classes, unique) of every plain index of members_member."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indkey::text, i.indclass::text, i.indisunique"
            " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = 'members_member'::regclass"
            " AND i.indpred IS NULL AND i.indexprs IS NULL"
        )
        return [
            (name, keys.split(), classes.split(), unique)
            for name, keys, classes, unique in cursor.fetchall()
        ]


def test_no_index_is_a_prefix_of_another():
    indexes = member_indexes()
    redundant = [
        (name, other)
        for name, keys, classes, unique in indexes
        if not unique
        for other, other_keys, other_classes, _unique in indexes
        if other != name
        and other_keys[: len(keys)] == keys
        and other_classes[: len(classes)] == classes
    ]
    assert redundant == []


def test_searches_keep_their_pattern_indexes():
    names = {name for name, *_ in member_indexes()}
    assert {"member_name_idx", "member_initials_idx"} <= names
    assert any(
        name.startswith("members_member_id_number_") and name.endswith("_like") for name in names
    )
    assert {"member_branch_join_idx", "member_developer_join_idx"} <= names

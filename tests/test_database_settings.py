"""PostgreSQL connections run without JIT: the pages' grouped counts of up to two million rows
lose more to compiling than they gain (BENCHMARKS.md, breakdowns)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting"),
]


def test_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

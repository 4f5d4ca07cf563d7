"""Read replicas against a real PostgreSQL streaming replica (``DATABASE_REPLICA_URLS``).

CI starts the replica (``.ci/replica``) before its PostgreSQL stage; there these tests fail when
no replica is configured. Elsewhere on PostgreSQL without one they skip; on SQLite they skip.
The data is committed (transactional tests), so that the replica can replay it.
"""

import os
import socket
import time
from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Organization
from members.models import Member
from tests.members.conftest import entry_data
from youthleague import db_router

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="streaming replicas"),
    pytest.mark.django_db(transaction=True, databases="__all__"),
]

#: the tables a page reads before its view runs (the session and the signed-in user)
BEFORE_THE_VIEW = {"django_session", "auth_user"}


@pytest.fixture
def replica(settings):
    """The first replica's alias, with replica reads on and no cached health answers."""
    if not settings.REPLICA_DATABASES:
        message = "DATABASE_REPLICA_URLS names no replica"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI's PostgreSQL stage runs these tests against one.")
        pytest.skip(message)
    settings.REPLICA_READS = True
    db_router.forget_health()
    yield settings.REPLICA_DATABASES[0]
    db_router.forget_health()


def replayed(alias):
    """Wait until ``alias`` has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (position,) = cursor.fetchone()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    pytest.fail(f"{alias} did not replay the primary's writes within 30 seconds")


def tables(queries):
    """The tables named after FROM in ``queries`` (not the router's health check)."""
    found = set()
    for query in queries:
        words = query["sql"].replace('"', " ").split()
        found.update(
            words[i + 1]
            for i, word in enumerate(words[:-1])
            if word == "FROM" and "(" not in words[i + 1]
        )
    return found


def requested(client, alias, url):
    """``client.get(url)`` and the queries it sent to the primary and to ``alias``."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[alias]) as replica,
    ):
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response, tables(primary.captured_queries), tables(replica.captured_queries)


def test_replica_alias_is_a_hot_standby_of_the_test_database(replica):
    with connections[replica].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database()")
        in_recovery, name = cursor.fetchone()
    assert in_recovery is True
    assert name == connections["default"].settings_dict["NAME"]
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is False


def test_replica_refuses_writes(small_province, replica):
    replayed(replica)
    with pytest.raises(DatabaseError, match="read-only transaction"):
        Organization.objects.using(replica).filter(pk=small_province.city.pk).update(name="改名")
    connections[replica].close()
    assert Organization.objects.get(pk=small_province.city.pk).name == small_province.city.name


def test_router_writes_and_unmarked_reads_go_to_the_primary(replica):
    router = db_router.ReplicaRouter()
    assert router.db_for_write(Member) == "default"
    assert router.db_for_read(Member) == "default"
    with db_router.reads_from_replica():
        assert router.db_for_read(Member) == replica
        assert router.db_for_write(Member) == "default"
        # Once the block has written, it reads what it wrote.
        assert router.db_for_read(Member) == "default"
    assert router.allow_migrate(replica, "members") is False


def test_dashboard_reads_come_from_the_replica(client, small_province, replica):
    replayed(replica)
    client.force_login(small_province.province_user)
    response, primary, served = requested(client, replica, reverse("dashboard"))
    assert small_province.city.name in response.content.decode()
    assert "branches_organization" in served
    assert primary <= BEFORE_THE_VIEW


def test_unmarked_pages_read_from_the_primary(client, small_province, replica):
    replayed(replica)
    client.force_login(small_province.province_user)
    _response, primary, served = requested(client, replica, reverse("home"))
    assert served == set()
    assert primary - BEFORE_THE_VIEW


def test_a_replica_that_does_not_answer_is_skipped(client, small_province, replica):
    replayed(replica)
    client.force_login(small_province.province_user)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    replica_settings = connections[replica].settings_dict
    live_port = replica_settings["PORT"]
    connections[replica].close()
    replica_settings["PORT"] = dead_port
    try:
        with CaptureQueriesContext(connections["default"]) as primary:
            response = client.get(reverse("dashboard"))
        assert response.status_code == HTTPStatus.OK
        assert small_province.city.name in response.content.decode()
        assert "branches_organization" in tables(primary.captured_queries)
        assert db_router.healthy_replicas() == []
    finally:
        connections[replica].close()
        replica_settings["PORT"] = live_port
    # Once it answers again (after the cached answer expires), it serves again.
    db_router.forget_health()
    _response, _primary, served = requested(client, replica, reverse("dashboard"))
    assert "branches_organization" in served


def test_a_replica_lagging_beyond_the_bound_is_skipped(client, small_province, replica, settings):
    replayed(replica)
    settings.REPLICA_MAX_LAG_SECONDS = -1  # any lag, even none, is too much
    client.force_login(small_province.province_user)
    _response, primary, served = requested(client, replica, reverse("dashboard"))
    assert served == set()
    assert "branches_organization" in primary


def test_after_an_entry_the_user_reads_from_the_primary(client, small_province, replica):
    secretary = small_province.secretary
    client.force_login(secretary)
    response = client.post(reverse("admin:members_member_add"), entry_data(small_province.branch))
    assert response.status_code == HTTPStatus.FOUND
    # No wait for the replica: the entry must show at once.
    response, primary, served = requested(client, replica, reverse("dashboard"))
    assert "张晓明" in response.content.decode()
    assert "members_member" in primary
    assert served == set()

    # Past the window, the replica serves again.
    session = client.session
    session[db_router.LAST_WRITE_KEY] = time.time() - settings.READ_YOUR_WRITES_SECONDS - 1
    session.save()
    replayed(replica)
    response, _primary, served = requested(client, replica, reverse("dashboard"))
    assert "张晓明" in response.content.decode()
    assert "members_member" in served


def test_a_look_up_does_not_pin_the_user_to_the_primary(client, small_province, replica):
    replayed(replica)
    client.force_login(small_province.county_user)
    client.post(reverse("members:lookup"), {"lines": "201900000001"})
    assert db_router.LAST_WRITE_KEY not in client.session


def test_a_table_download_streams_its_rows_from_the_replica(client, small_province, replica):
    from tests.factories import MemberFactory

    MemberFactory(branch=small_province.branch, name="李副本")
    replayed(replica)
    client.force_login(small_province.province_user)
    with CaptureQueriesContext(connections[replica]) as served:
        response = client.get(reverse("reports:download", args=["roster"]))
    assert response.status_code == HTTPStatus.OK
    rows = [query for query in served.captured_queries if "COUNT(" not in query["sql"]]
    assert "members_member" in tables(rows)


def test_a_background_export_reads_its_rows_from_the_replica(
    client, small_province, replica, settings
):
    from reports.models import ExportJob
    from tests.factories import MemberFactory

    settings.BACKGROUND_EXPORT_ROWS = 0
    MemberFactory(branch=small_province.branch, name="李副本")
    replayed(replica)
    client.force_login(small_province.province_user)
    with CaptureQueriesContext(connections[replica]) as served:
        response = client.get(reverse("reports:download", args=["roster"]))
    assert response.status_code == HTTPStatus.FOUND
    job = ExportJob.objects.get()
    assert (job.status, job.rows_total) == (ExportJob.Status.DONE, 1)
    # Not only the count that chose the background: the rows themselves.
    rows = [query for query in served.captured_queries if "COUNT(" not in query["sql"]]
    assert "members_member" in tables(rows)


def test_a_replica_failing_between_health_checks_is_answered_from_the_primary(
    client, small_province, replica
):
    replayed(replica)
    client.force_login(small_province.province_user)
    assert db_router.is_healthy(replica)  # the answer is now cached
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    replica_settings = connections[replica].settings_dict
    live_port = replica_settings["PORT"]
    connections[replica].close()
    replica_settings["PORT"] = dead_port
    try:
        response = client.get(reverse("dashboard"))
        assert response.status_code == HTTPStatus.OK
        assert small_province.city.name in response.content.decode()
        assert db_router.healthy_replicas() == []
    finally:
        connections[replica].close()
        replica_settings["PORT"] = live_port

"""Read replicas: which database answers a query.

Everything goes to the primary (``default``) unless code marks its reads as safe to serve from a
replica: the views of dashboards, reports, look-ups and exports wear :func:`replica_reads`, and
other code can wrap a block in :func:`reads_from_replica`. Inside such a block:

* reads go to a healthy replica, chosen at random among them; a replica that does not answer, or
  whose replay lags more than ``REPLICA_MAX_LAG_SECONDS`` behind, is skipped (the answer is kept
  for ``REPLICA_HEALTH_CACHE_SECONDS``), and with none healthy the primary answers; a view whose
  replica fails between two checks is answered again from the primary;
* once the block writes, or while a transaction is open on the primary, its reads go to the
  primary, so that it reads what it wrote;
* a user who wrote within ``READ_YOUR_WRITES_SECONDS`` (recorded in the session by
  :class:`ReadYourWritesMiddleware`) reads from the primary.

Writes, migrations and everything unmarked use the primary. The router and the middleware are
installed by the settings only when ``DATABASE_REPLICA_URLS`` names replicas.
"""

import random
import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections

#: session key holding the time (seconds since the epoch) of the user's last write
LAST_WRITE_KEY = "_last_write_at"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class _Block:
    """The state of one replica-safe block: whether it has written, which replicas it read."""

    __slots__ = ("read_from", "wrote")

    def __init__(self):
        self.wrote = False
        self.read_from = set()


_block = ContextVar("replica_block", default=None)
#: alias -> (healthy, checked at, monotonic seconds)
_health = {}


def replica_aliases():
    """The aliases of the configured replicas (``replica1``, ``replica2``, ...)."""
    return list(getattr(settings, "REPLICA_DATABASES", ()))


@contextmanager
def reads_from_replica(*, enabled=True):
    """Serve the reads of this block from a healthy replica (``enabled=False``: the primary).

    Yields the block's state (None when the primary serves everything).
    """
    if not enabled or not getattr(settings, "REPLICA_READS", True) or not replica_aliases():
        yield None
        return
    block = _Block()
    token = _block.set(block)
    try:
        yield block
    finally:
        _block.reset(token)


def wrote_recently(request):
    """Whether the user behind ``request`` wrote within ``READ_YOUR_WRITES_SECONDS``."""
    session = getattr(request, "session", None)
    last = session.get(LAST_WRITE_KEY) if session is not None else None
    if last is None:
        return False
    return time.time() - float(last) < settings.READ_YOUR_WRITES_SECONDS


def replica_reads(view):
    """View decorator: the view's reads may come from a replica, unless its user wrote lately.

    The view is declared read-only in substance (a log row it writes does not count), so a POST
    to it does not pin the user to the primary either.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.replica_safe = True
        try:
            with reads_from_replica(enabled=not wrote_recently(request)) as block:
                return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            # A replica that went away since its last health check: mark it down and answer
            # from the primary, unless the view had already written (it must not write twice).
            if block is None or not block.read_from or block.wrote:
                raise
            for alias in block.read_from:
                mark_unhealthy(alias)
            return view(request, *args, **kwargs)

    return wrapped


def _check(alias):
    """Whether ``alias`` answers and replays within the allowed lag."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.execute("SELECT 1")
                return True
            # An idle primary sends nothing to replay: a replica that has replayed all it
            # received is current, however old its last replayed transaction.
            cursor.execute(
                "SELECT CASE WHEN NOT pg_is_in_recovery()"
                " OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
                " END"
            )
            (lag,) = cursor.fetchone()
            return float(lag) <= settings.REPLICA_MAX_LAG_SECONDS
    except DatabaseError:
        connection.close()
        return False


def is_healthy(alias):
    """The cached answer of :func:`_check` for ``alias``."""
    now = time.monotonic()
    cached = _health.get(alias)
    if cached is not None and now - cached[1] < settings.REPLICA_HEALTH_CACHE_SECONDS:
        return cached[0]
    healthy = _check(alias)
    _health[alias] = (healthy, now)
    return healthy


def mark_unhealthy(alias):
    """Skip ``alias`` until its cached answer expires."""
    connections[alias].close()
    _health[alias] = (False, time.monotonic())


def forget_health():
    """Drop the cached health answers (the next read checks again)."""
    _health.clear()


def healthy_replicas():
    return [alias for alias in replica_aliases() if is_healthy(alias)]


class ReplicaRouter:
    """Reads of replica-safe blocks to a healthy replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        block = _block.get()
        if block is None or block.wrote or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        healthy = healthy_replicas()
        if not healthy:
            return DEFAULT_DB_ALIAS
        alias = random.choice(healthy)
        block.read_from.add(alias)
        return alias

    def db_for_write(self, model, **hints):
        block = _block.get()
        if block is not None:
            block.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReadYourWritesMiddleware:
    """Record in the session when a user last wrote (any non-safe request but a replica-safe
    view's), so that :func:`replica_reads` sends their reads to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            request.method not in SAFE_METHODS
            and session is not None
            and not getattr(request, "replica_safe", False)
        ):
            session[LAST_WRITE_KEY] = time.time()
        return response

"""Reads of the dashboards, the exports and the data view from a streaming replica, when one is configured.

A read goes to the `replica` database only when all of these hold, and to the primary otherwise:
- it happens inside `replica_reads` (a view decorator) or `reading_from_replica()` (a context manager);
- its model is not the user's own state (accounts, permissions, the session, the inbox), which a page must
  read exactly as the user last wrote it;
- nothing has been written in the same context and no transaction is open on the primary, so a page never
  mixes what it just wrote with a replica that has not replayed it yet;
- the replica answers and has replayed the primary's changes to within DATABASE_REPLICA_MAX_LAG_SECONDS.
Every write goes to the primary. A replica that fails is left alone for a while and its reads go to the
primary, with a warning in the log, so an outage of the replica never fails a page.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# Read where they are written: signing in, grants and permissions, the session, the inbox, the schedule, and
# the background jobs a user has just started (a page must find the job it launched a moment ago).
PRIMARY_ONLY_APPS = frozenset({
    "accounts", "admin", "auth", "axes", "contenttypes", "django_celery_beat", "guardian", "jobs",
    "notifications", "sessions",
})
# An unreachable or lagging replica is not asked again for this long (per process).
RETRY_SECONDS = 30.0
# A healthy replica's lag is measured at most this often (per process).
LAG_CHECK_SECONDS = 10.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN 0
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
             AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
        ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8,
                      'Infinity'::float8)
    END
"""


@dataclass
class _Reads:
    """What one read-only context has done so far."""

    wrote: bool = False
    checked: bool = False
    usable: bool = False
    used: bool = False
    failed: bool = False


@dataclass
class _Health:
    """What this process last learned about the replica."""

    down_until: float = 0.0
    lag_checked_at: float = float("-inf")
    lag_seconds: float | None = None


_reads: ContextVar[_Reads | None] = ContextVar("replica_reads", default=None)
_health = _Health()


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_lag_seconds(connection) -> float:
    """Seconds the replica is behind its primary (0 when it has replayed all it received and still streams)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def reset_health() -> None:
    """Forget what this process learned about the replica: the next read asks it again."""
    global _health
    _health = _Health()


def _give_up_for_a_while(reason: str) -> None:
    _health.down_until = time.monotonic() + RETRY_SECONDS
    logger.warning("Reading from the primary for %.0f s: the replica %s", RETRY_SECONDS, reason)


def _replica_healthy() -> bool:
    now = time.monotonic()
    if now < _health.down_until:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        if now - _health.lag_checked_at >= LAG_CHECK_SECONDS:
            _health.lag_seconds = replica_lag_seconds(connection)
            _health.lag_checked_at = now
    except DatabaseError as error:
        connection.close()
        _give_up_for_a_while(f"does not answer: {error}")
        return False
    if _health.lag_seconds > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        _health.lag_checked_at = float("-inf")
        _give_up_for_a_while(f"is {_health.lag_seconds:.1f} s behind "
                             f"(more than {settings.DATABASE_REPLICA_MAX_LAG_SECONDS:g} s)")
        return False
    return True


def _note_failure(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except DatabaseError:
        state = _reads.get()
        if state is not None:
            state.failed = True
        raise


@contextmanager
def reading_from_replica() -> Iterator[_Reads]:
    """Reads inside this block may come from the replica (see the module's rules)."""
    state = _Reads()
    token = _reads.set(state)
    try:
        if replica_configured():
            with connections[REPLICA].execute_wrapper(_note_failure):
                yield state
        else:
            yield state
    finally:
        _reads.reset(token)


def replica_reads(view: Callable) -> Callable:
    """A read-only view reads from the replica; if the replica fails during it, it runs again on the primary."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in SAFE_METHODS or not replica_configured():
            return view(request, *args, **kwargs)
        with reading_from_replica() as state:
            try:
                return view(request, *args, **kwargs)
            except (OperationalError, InterfaceError) as error:
                if not state.failed or state.wrote:
                    raise
                connections[REPLICA].close()
                _give_up_for_a_while(f"failed during {request.path}: {error}")
        return view(request, *args, **kwargs)
    return wrapper


class ReplicaRouter:
    """Sends reads to the replica under the rules above; everything else to the primary."""

    def db_for_read(self, model, **hints):
        state = _reads.get()
        if (state is None or state.wrote or model._meta.app_label in PRIMARY_ONLY_APPS
                or not replica_configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block):
            return DEFAULT_DB_ALIAS
        if not state.checked:
            state.checked, state.usable = True, _replica_healthy()
        if not state.usable:
            return DEFAULT_DB_ALIAS
        state.used = True
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None

"""The real services: PostgreSQL, a Redis broker and a Celery worker.

Without CI these tests skip when the services are not configured (the embedded set-up uses SQLite and runs
tasks in-process). With CI set, a missing or unreachable service is a failure, never a skip.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.result import AsyncResult, EagerResult
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.services

WORKER_READY_SECONDS = 60
TASK_TIMEOUT_SECONDS = 60


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(reason: str) -> None:
    """A service that is not there: a failure in CI, a skip elsewhere."""
    if in_ci():
        pytest.fail(f"CI is set but {reason}", pytrace=False)
    pytest.skip(reason)


def broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "") or settings.CELERY_BROKER_URL
    if not url:
        missing("CELERY_BROKER_URL is not set (tasks run in-process without a broker)")
    return url


def test_database_is_postgresql(db):
    if connection.vendor != "postgresql":
        if in_ci():
            pytest.fail(f"CI must run on PostgreSQL (DATABASE_URL), not {connection.vendor}", pytrace=False)
        pytest.skip(f"the database is {connection.vendor}; set DATABASE_URL to a PostgreSQL server")
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    assert version.startswith("PostgreSQL")


def test_redis_broker_answers():
    import redis

    url = broker_url()
    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    try:
        assert client.ping() is True
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"the Redis broker at {url} does not answer: {error}", pytrace=False)
    finally:
        client.close()


@pytest.fixture(scope="session")
def celery_worker_process(tmp_path_factory):
    """A real Celery worker in its own process, consuming the default queue; stopped cleanly."""
    url = broker_url()
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "info_portal.settings.test",
        "CELERY_BROKER_URL": url,
        "PYTHONUNBUFFERED": "1",
    }
    if settings.CELERY_RESULT_BACKEND:
        env["CELERY_RESULT_BACKEND"] = settings.CELERY_RESULT_BACKEND
    command = [
        sys.executable, "-m", "celery", "-A", "info_portal", "worker", "--pool=solo", "--concurrency=1",
        "-Q", "celery", "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO",
        "--hostname", f"test-worker-{os.getpid()}@%h",
    ]
    root = Path(settings.BASE_DIR)
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WORKER_READY_SECONDS
        while "ready." not in log_path.read_text(errors="replace"):
            if process.poll() is not None:
                pytest.fail(f"the Celery worker exited with {process.returncode}:\n{log_path.read_text()}",
                            pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"the Celery worker was not ready after {WORKER_READY_SECONDS}s:\n"
                            f"{log_path.read_text()}", pytrace=False)
            time.sleep(0.2)
        yield process, log_path
    finally:
        if process.poll() is None:
            # SIGTERM is Celery's warm shutdown: the current task finishes, then the worker exits.
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
                pytest.fail(f"the Celery worker ignored SIGTERM for 30s:\n{log_path.read_text()}",
                            pytrace=False)


def test_celery_worker_runs_a_task_through_the_broker(request):
    from info_portal.celery import app, ping

    broker_url()  # fails (CI) or skips here, before the worker is started
    process, log_path = request.getfixturevalue("celery_worker_process")
    assert process.poll() is None, "the Celery worker is not running"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        result = ping.delay()
    finally:
        app.conf.task_always_eager = previous
    assert isinstance(result, AsyncResult)
    assert not isinstance(result, EagerResult), "the task ran in-process, not through the broker"
    assert result.get(timeout=TASK_TIMEOUT_SECONDS, disable_sync_subtasks=False) == "pong"
    assert result.state == "SUCCESS"
    # The worker's own log names the task it received: it ran there, not here.
    deadline = time.monotonic() + 10
    while f"[{result.id}] succeeded" not in log_path.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"the worker did not log {result.id}:\n{log_path.read_text()}"
        time.sleep(0.1)
    result.forget()

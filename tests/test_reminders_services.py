"""Reminders through the real services: PostgreSQL, a Redis broker, Celery workers and an SMTP sink (aiosmtpd).

A national cascade in miniature (3 provinces, 300 LAOs, their 900 users and every officer) is delivered by a real
worker that is killed with SIGKILL in the middle and restarted; an SMTP server that is down, then up; two daily
plans at once. Each ends with every notification sent, and each e-mail received at the sink, exactly once.

Without CI these tests skip when the services are not configured; with CI set, a missing service is a failure.
"""

import asyncio
import email
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.policy import Role
from deadlines import services
from deadlines.demo import demo_people_load
from notifications.models import Channel, DeliveryStatus, Notification
from notifications.services import notifications_sweep
from organizations.models import LAO, District, LAOType, Province
from sectors.catalogue import fiscal_year_open
from tests.conftest import in_ci, make_user

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WORKER_READY_SECONDS = 60
SETTLE_SECONDS = 60


def missing(reason: str) -> None:
    """A service that is not there: a failure in CI, a skip elsewhere."""
    if in_ci():
        pytest.fail(f"CI is set but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def broker():
    url = os.environ.get("CELERY_BROKER_URL", "") or settings.CELERY_BROKER_URL
    if not url:
        missing("CELERY_BROKER_URL is not set (tasks run in-process without a broker)")
    if connection.vendor != "postgresql" or not os.environ.get("DATABASE_URL"):
        missing("the worker shares the test database: set DATABASE_URL to a PostgreSQL server")
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        missing(f"the Redis broker at {url} does not answer: {error}")
    from info_portal.celery import app

    app.control.purge()  # tasks left by an earlier run refer to rows that are gone
    yield client
    app.control.purge()
    client.close()


# The SMTP sink --------------------------------------------------------------------------------------------------


class Sink:
    """Counts each notification it receives (by its X-INFO-Notification header); can hold the n-th message
    before its data is sent, to catch a worker in the middle of a send."""

    def __init__(self, hold_at: int | None = None):
        self.lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.recipients = 0
        self.hold_at = hold_at
        self.holding, self.release = threading.Event(), threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.recipients += 1
            hold = self.recipients == self.hold_at
        if hold:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.received[message["X-INFO-Notification"]] += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self, sink: Sink, port: int):
        from aiosmtpd.controller import Controller

        self.controller = Controller(sink, hostname="127.0.0.1", port=port)

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


# Workers --------------------------------------------------------------------------------------------------------


def worker_database_url() -> str:
    """The test database (pytest-django's test_<name>) on the same server as DATABASE_URL."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class Worker:
    """A real Celery worker in its own process, with production settings, sending to the sink's port."""

    def __init__(self, log_dir: Path, name: str, smtp_port: int, *pool: str):
        self.log_path = log_dir / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "info_portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "info.test",
            "DATABASE_URL": worker_database_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "SITE_URL": "https://info.test",
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "") or settings.CELERY_BROKER_URL,
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "celery", "-A", "info_portal", "worker", *(pool or ("--pool=solo",)),
                   "-Q", "celery", "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO",
                   "--hostname", f"{name}-{os.getpid()}@%h"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + WORKER_READY_SECONDS
        while "ready." not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"the Celery worker {name} did not start:\n{self.log()}", pytrace=False)
            time.sleep(0.2)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no chance to acknowledge or give back what it holds."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(name: str, smtp_port: int, *pool: str) -> Worker:
        started.append(Worker(tmp_path, name, smtp_port, *pool))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition, what: str, seconds: float = SETTLE_SECONDS, logs=()) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {seconds}s\n" + "\n".join(w.log()[-4000:] for w in logs),
                        pytrace=False)
        time.sleep(0.2)


def queue_drained(client) -> bool:
    """Nothing waits in the queue and nothing is held unacknowledged by a worker, twice in a row."""
    for _ in range(2):
        if client.llen("celery") or client.hlen("unacked"):
            return False
        time.sleep(0.3)
    return True


def restore_unacknowledged() -> None:
    """Hand back at once what a killed worker held, as Redis does by itself after the visibility timeout."""
    from info_portal.celery import app

    with app.connection_for_write() as broker_connection:
        channel = broker_connection.default_channel
        channel.visibility_timeout = 0
        channel.qos.restore_visible(num=100)


def emails() -> "list[Notification]":
    return list(Notification.objects.filter(channel=Channel.EMAIL))


def assert_each_sent_once(sink: Sink) -> None:
    rows = emails()
    assert rows, "nothing was written"
    assert {row.status for row in rows} == {DeliveryStatus.SENT}
    assert set(sink.received) == {str(row.pk) for row in rows}
    assert set(sink.received.values()) == {1}, sink.received.most_common(3)
    assert set(Notification.objects.filter(channel=Channel.PORTAL).values_list("status", flat=True)) == \
        {DeliveryStatus.SENT}


# A national cascade in miniature --------------------------------------------------------------------------------


def registry(provinces: int, districts: int, laos: int) -> None:
    """`provinces` × `districts` × `laos` subdistrict administrative organizations, with a recorder, a verifier and
    a certifier each, an officer for each district and province, and one department account."""
    for p in range(provinces):
        province = Province.objects.create(code=f"{50 + p}", name_th=f"จังหวัดทดสอบ {p + 1}", name_en=f"P{p}")
        for d in range(districts):
            district = District.objects.create(code=f"{50 + p}{d + 1:02d}", name_th=f"อำเภอทดสอบ {p + 1}-{d + 1}",
                                               name_en=f"D{p}{d}", province=province)
            LAO.objects.bulk_create([LAO(lao_type=LAOType.SAO, name_th=f"อบต.ทดสอบ {p + 1}-{d + 1}-{n + 1}",
                                         province=province, district=district) for n in range(laos)])
    demo_people_load(laos=LAO.objects.all())
    make_user("department", Role.DEPARTMENT_ADMIN, None)


def new_round():
    """The department's round: record and certify by 15 June 2025 (not yet published)."""
    actor = User.objects.get(username="department")
    return actor, services.round_set(actor=actor, fiscal_year=fiscal_year_open(be_year=2568),
                                     opens_on=date(2025, 5, 24), record_by=date(2025, 6, 15),
                                     certify_by=date(2025, 6, 15))


# The drills -----------------------------------------------------------------------------------------------------


def test_a_worker_killed_mid_cascade_and_restarted_sends_everything_exactly_once(broker, workers):
    # Given a miniature nation and a worker sending to a sink that will hold the 400th message mid-send
    registry(provinces=3, districts=4, laos=25)
    actor, round_ = new_round()
    sink = Sink(hold_at=400)
    port = free_port()
    with SmtpServer(sink, port):
        first = workers("killed", port)

        # When the round is published, and the worker is killed while it holds a row in the middle of a send
        written = services.round_publish(actor=actor, round_=round_)
        wait_for(sink.holding.is_set, "the 400th message reaching the sink", logs=[first])
        first.kill()
        sink.release.set()
        sent_before = Notification.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count()
        held = [json.loads(payload)[0]["headers"]["id"] for payload in broker.hvals("unacked")]
        assert held, "Redis should still hold the killed worker's unacknowledged task"

        # Then a new worker, the sweep, and Redis handing back the killed worker's task (as it does after the
        # visibility timeout) deliver the rest, and nothing twice
        second = workers("restarted", port)
        notifications_sweep(stale_after=timedelta(0))
        restore_unacknowledged()
        wait_for(lambda: not Notification.objects.filter(channel=Channel.EMAIL)
                 .exclude(status=DeliveryStatus.SENT).exists(), "every e-mail sent", logs=[second])
        wait_for(lambda: queue_drained(broker), "the queue drained", logs=[second])
        assert all(f"[{task_id}] succeeded" in second.log() for task_id in held)  # handed back, run, sent nothing twice
        print(f"\ndrill: {len(emails())} e-mails; {sent_before} sent before SIGKILL; redelivered tasks {held}")

    total = len(emails())
    assert total == written.created // 2 == 916  # 900 LAO users, 12 district and 3 provincial officers, 1 department
    assert 300 <= sent_before < total, "the worker was not killed mid-way"
    assert_each_sent_once(sink)


def test_smtp_down_then_up_delivers_everything_once(broker, workers):
    registry(provinces=1, districts=4, laos=25)
    actor, round_ = new_round()
    sink, port = Sink(), free_port()
    worker = workers("smtp-down", port)  # nothing listens on the port yet: the server is down

    services.round_publish(actor=actor, round_=round_)
    batches = 4  # 306 e-mails, 100 a task: each task fails on its first message, then waits to retry
    wait_for(lambda: Notification.objects.filter(channel=Channel.EMAIL, attempts__gte=1).count() >= batches,
             "every delivery task failing once", logs=[worker])
    assert not Notification.objects.filter(status=DeliveryStatus.SENT, channel=Channel.EMAIL).exists()

    with SmtpServer(sink, port):
        wait_for(lambda: not Notification.objects.filter(channel=Channel.EMAIL)
                 .exclude(status=DeliveryStatus.SENT).exists(), "every e-mail sent after the server came up",
                 logs=[worker])
        wait_for(lambda: queue_drained(broker), "the queue drained", logs=[worker])

    assert len(emails()) == 306
    assert_each_sent_once(sink)
    assert "Retry in" in worker.log()
    # The first message of each task failed, at least once (a jittered retry may fall before the server is up,
    # and fail again); every other message was tried once, when it was sent.
    assert Notification.objects.filter(channel=Channel.EMAIL, attempts__gte=2).count() == batches
    assert Notification.objects.filter(channel=Channel.EMAIL, attempts=1).count() == 306 - batches


def test_two_daily_plans_at_once_send_nothing_twice(broker, workers):
    from deadlines.tasks import reminders_plan_task

    registry(provinces=1, districts=4, laos=25)
    _actor, round_ = new_round()
    round_.published_at = timezone.now()  # published earlier: no announcement in this drill
    round_.save()
    sink, port = Sink(), free_port()
    with SmtpServer(sink, port):
        worker = workers("two-beats", port, "--pool=threads", "--concurrency=4")

        # Two beats (or a beat and a person running send_reminders) queue the same day's plan at once
        results = [reminders_plan_task.delay("2025-06-08"), reminders_plan_task.delay("2025-06-08")]
        outcomes = [result.get(timeout=SETTLE_SECONDS, disable_sync_subtasks=False) for result in results]
        wait_for(lambda: not Notification.objects.filter(channel=Channel.EMAIL)
                 .exclude(status=DeliveryStatus.SENT).exists(), "every e-mail sent", logs=[worker])
        wait_for(lambda: queue_drained(broker), "the queue drained", logs=[worker])

        # And a third run the same day, later, finds nothing new
        third = reminders_plan_task.delay("2025-06-08").get(timeout=SETTLE_SECONDS, disable_sync_subtasks=False)
        wait_for(lambda: queue_drained(broker), "the queue drained", logs=[worker])

    # T-7 before 15 June: 100 recorders with eight sectors each, 4 district officers, 1 provincial, 1 department
    assert [outcome["planned"] for outcome in outcomes] == [106, 106]
    assert third == {"planned": 106, "created": 0}
    assert len(emails()) == 106
    assert_each_sent_once(sink)


class AcceptingSink(Sink):
    """Keeps every message it receives with its Message-ID; can hold the n-th one after taking its data in, before
    answering: the server has the message, the worker has not yet heard so."""

    def __init__(self, hold_data_at: int):
        super().__init__()
        self.hold_data_at, self.data_count = hold_data_at, 0
        self.message_ids: dict[str, list[str]] = {}

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        key = message["X-INFO-Notification"]
        with self.lock:
            self.received[key] += 1
            self.message_ids.setdefault(key, []).append(message["Message-ID"])
            self.data_count += 1
            hold = self.data_count == self.hold_data_at
        if hold:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


def test_a_worker_killed_after_the_server_took_a_message_sends_it_again_with_the_same_message_id(broker, workers):
    # Given a worker sending a district's announcement to a sink that takes the 20th message in and holds its answer
    registry(provinces=1, districts=1, laos=25)
    actor, round_ = new_round()
    sink, port = AcceptingSink(hold_data_at=20), free_port()
    with SmtpServer(sink, port):
        first = workers("accepted-then-killed", port)
        services.round_publish(actor=actor, round_=round_)
        wait_for(sink.holding.is_set, "the 20th message reaching the sink", logs=[first])

        # When the worker is killed after the server has the message and before the row is marked sent
        first.kill()
        sink.release.set()
        held = [key for key, count in sink.received.items() if count == 1 and
                Notification.objects.filter(pk=key, status=DeliveryStatus.PENDING).exists()]
        assert len(held) == 1, "exactly the message in flight should be left pending"

        # Then the row stays pending, and a new worker sends it again: delivery is at least once
        second = workers("after-the-kill", port)
        notifications_sweep(stale_after=timedelta(0))
        restore_unacknowledged()
        wait_for(lambda: not Notification.objects.filter(channel=Channel.EMAIL)
                 .exclude(status=DeliveryStatus.SENT).exists(), "every e-mail sent", logs=[second])
        wait_for(lambda: queue_drained(broker), "the queue drained", logs=[second])

    (in_flight,) = held
    assert sink.received[in_flight] == 2
    # with the same Message-ID both times, so the recipient's mail client shows it once
    first_id, second_id = sink.message_ids[in_flight]
    assert first_id == second_id == f"<notification.{in_flight}@info.test>"
    assert {key: count for key, count in sink.received.items() if key != in_flight} == \
        {str(row.pk): 1 for row in emails() if str(row.pk) != in_flight}

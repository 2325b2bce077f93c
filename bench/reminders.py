"""The national reminder cascade on the demo registry: time to plan, and e-mails per second to a local SMTP sink.

On the generated demo registry (every PAO, Bangkok, Pattaya and one LAO per subdistrict: about 7,300 LAOs), each
LAO with a recorder, a verifier and a certifier, every district and province with its officer, and reports in a
simulated round (`simulate_round` when the dashboards app has it, otherwise states drawn here), it measures:

- the announcement of a round to everyone: planning and writing the rows (portal and e-mail), then delivery by one
  Celery worker (solo pool) to an aiosmtpd sink in this process, in messages per second;
- the daily plan at T-7: reading the round, planning, writing;
- Celery no-op tasks per second through the same broker and the same worker, for comparison.

Run (PostgreSQL and Redis needed: the worker is another process sharing the database):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/2 \\
      .venv/bin/python bench/reminders.py

It builds a throw-away test database (test_<name>) and purges the broker's default queue, so point it at a broker
database nothing else uses. BENCH_NOOP_TASKS sets the number of no-op tasks (default 5000); BENCH_CONCURRENCY
runs the worker with that many prefork processes instead of the solo pool; BENCH_STATES=drawn skips
simulate_round (it goes through every service, and takes long for the whole nation).
"""

import io
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "info_portal.settings.test")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOOP_TASKS = int(os.environ.get("BENCH_NOOP_TASKS", "5000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "1"))  # 1: the solo pool, one process
SEED = 2568


class Sink:
    """An SMTP server that only counts, and notes when the first and the last message arrived."""

    def __init__(self):
        self.lock = threading.Lock()
        self.count, self.first, self.last = 0, None, None
        self.ids: set[bytes] = set()

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        start = envelope.content.find(b"X-INFO-Notification: ") + len(b"X-INFO-Notification: ")
        notification = envelope.content[start:envelope.content.find(b"\r\n", start)]
        with self.lock:
            self.count += 1
            self.ids.add(notification)
            self.first = self.first or now
            self.last = now
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_worker(smtp_port: int, log_path: Path) -> subprocess.Popen:
    database = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + connection.settings_dict["NAME"]))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "info_portal.settings.production",
           "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "info.bench", "DATABASE_URL": database,
           "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "SITE_URL": "https://info.bench", "LOG_LEVEL": "WARNING",
           "PYTHONUNBUFFERED": "1"}
    pool = ["--pool=solo"] if CONCURRENCY == 1 else ["--pool=prefork", f"--concurrency={CONCURRENCY}"]
    command = [sys.executable, "-m", "celery", "-A", "info_portal", "worker", *pool, "-Q", "celery",
               "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO",
               "--hostname", f"bench-{os.getpid()}@%h"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.1)
    return process


def build_nation(today) -> dict:
    """The demo registry with every role filled, a department account, a round around `today` and its reports."""
    from accounts import services as account_services
    from accounts.policy import Role
    from deadlines import services
    from deadlines.demo import demo_people_load
    from organizations.demo import demo_registry_load
    from organizations.models import LAO
    from organizations.services import geography_load
    from sectors.catalogue import fiscal_year_open

    started = time.perf_counter()
    geography_load()
    demo_registry_load()
    fiscal_year = fiscal_year_open(be_year=2568)
    actor = account_services.account_create(actor=None, username="bench.department", full_name="กรม (ทดสอบ)",
                                            email="department@info.bench", grants=[(Role.DEPARTMENT_ADMIN, None)])
    round_ = services.round_set(actor=actor, fiscal_year=fiscal_year, opens_on=today - timedelta(days=21),
                                record_by=today + timedelta(days=7), certify_by=today + timedelta(days=7))
    people = demo_people_load(laos=LAO.objects.filter(is_active=True))  # before the simulation, which keeps them
    built = time.perf_counter() - started
    started = time.perf_counter()
    states = simulate_states(fiscal_year, today)
    return {"round": round_, "actor": actor, "laos": LAO.objects.filter(is_active=True).count(),
            "people": people + 1, "states": states, "built": built, "simulated": time.perf_counter() - started}


def simulate_states(fiscal_year, today) -> str:
    """Reports in a simulated round: the dashboards' simulate_round when it exists (unless BENCH_STATES=drawn),
    else states drawn here."""
    if "simulate_round" in get_commands() and os.environ.get("BENCH_STATES") != "drawn":
        call_command("simulate_round", "--fiscal-year", str(fiscal_year.be_year), "--today", today.isoformat(),
                     verbosity=0, stdout=io.StringIO())
        return "from simulate_round"
    from organizations.models import LAO
    from sectors.models import ReportStatus, Sector, SectorReport

    rng = random.Random(SEED)
    sectors = list(Sector.objects.order_by("order"))
    # How far each sector has got a week before the deadline: a fifth not started, the rest spread over the steps.
    progress = [(0.20, None), (0.25, ReportStatus.DRAFT), (0.05, ReportStatus.RETURNED),
                (0.15, ReportStatus.SUBMITTED), (0.10, ReportStatus.VERIFIED), (0.25, ReportStatus.CERTIFIED)]
    reports = []
    for lao_id in LAO.objects.filter(is_active=True).values_list("pk", flat=True):
        for sector in sectors:
            roll, status = rng.random(), None
            for share, candidate in progress:
                if roll < share:
                    status = candidate
                    break
                roll -= share
            if status is not None:
                reports.append(SectorReport(lao_id=lao_id, sector=sector, fiscal_year=fiscal_year, status=status))
    SectorReport.objects.bulk_create(reports, batch_size=5000)
    return f"drawn here ({len(reports)} reports)"


def wait_until(condition, seconds: float) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise SystemExit("timed out")
        time.sleep(0.2)
    return time.monotonic() - started


def drained(client) -> bool:
    return not client.llen("celery") and not client.hlen("unacked")


def main() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("CELERY_BROKER_URL"):
        raise SystemExit("set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis): the worker shares both")
    import redis
    from aiosmtpd.controller import Controller

    from deadlines import reminders, services
    from deadlines.selectors import round_snapshot
    from info_portal.celery import app, ping
    from notifications.models import Channel, DeliveryStatus, Notification

    setup_test_environment()
    app.conf.task_always_eager = False
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    worker = None
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    try:
        app.control.purge()
        today = timezone.localdate()
        nation = build_nation(today)
        round_ = nation["round"]
        print(f"database: PostgreSQL; broker: {os.environ['CELERY_BROKER_URL']}")
        print(f"nation: {nation['laos']} LAOs, {nation['people']} accounts with e-mail (built in "
              f"{nation['built']:.0f} s); reports {nation['states']} ({nation['simulated']:.0f} s)")

        # The announcement to everyone: planned and written with no worker running, so the writing is measured alone.
        started = time.perf_counter()
        written = services.round_publish(actor=nation["actor"], round_=round_)
        publish_seconds = time.perf_counter() - started
        emails = len(written.email_ids)
        print(f"\nannouncement: {written.created} rows ({emails} e-mails) planned and written in "
              f"{publish_seconds:.1f} s; {broker.llen('celery')} delivery tasks queued")

        controller.start()
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        worker = start_worker(port, ROOT / "test-artifacts" / "bench-reminders-worker.log")
        pending = Notification.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.PENDING)
        delivery = wait_until(lambda: not pending.exists(), seconds=3600)
        wait_until(lambda: drained(broker), seconds=60)
        sent = Notification.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count()
        sink_seconds = (sink.last - sink.first) if sink.count > 1 else float("nan")
        pool = "solo" if CONCURRENCY == 1 else f"prefork x{CONCURRENCY}"
        print(f"delivery, one worker ({pool}): {sent} sent, {sink.count} received at the sink in {delivery:.1f} s "
              f"= {sent / delivery:.0f} messages/s (first to last message at the sink: "
              f"{sink.count / sink_seconds:.0f} messages/s)")

        # The daily plan a week before the deadline.
        started = time.perf_counter()
        snapshot = round_snapshot(round_)
        read = time.perf_counter() - started
        started = time.perf_counter()
        planned = reminders.plan(snapshot, today)
        planning = time.perf_counter() - started
        started = time.perf_counter()
        [daily] = reminders.reminders_plan(today=today)
        whole = time.perf_counter() - started
        levels = {level: sum(1 for m in planned if m.level == level) for level in reminders.LEVELS}
        print(f"\ndaily plan at T-7: {len(planned)} messages {levels}")
        print(f"  read the round {read:.2f} s · plan {planning:.2f} s · read, plan and write "
              f"{daily.written.created} rows {whole:.2f} s")
        wait_until(lambda: drained(broker) and not pending.exists(), seconds=3600)
        started = time.perf_counter()
        [again] = reminders.reminders_plan(today=today)
        print(f"  the same day again: {again.written.created} new rows in {time.perf_counter() - started:.2f} s")

        # No-op tasks through the same broker and worker.
        started = time.perf_counter()
        for _ in range(NOOP_TASKS):
            ping.apply_async(ignore_result=True)
        queued = time.perf_counter() - started
        wait_until(lambda: drained(broker), seconds=600)
        noop = time.perf_counter() - started
        print(f"\nno-op tasks, same broker and worker: {NOOP_TASKS} in {noop:.1f} s = {NOOP_TASKS / noop:.0f} tasks/s "
              f"(queueing alone {NOOP_TASKS / queued:.0f}/s)")
        print(f"e-mails: {sent / delivery:.0f} messages/s in tasks of 100 = {sent / delivery / 100:.1f} tasks/s")
        rows = Notification.objects.filter(channel=Channel.EMAIL).count()
        print(f"\nthe sink received {sink.count} e-mails for {len(sink.ids)} distinct notifications "
              f"({rows} e-mail rows): {sink.count - len(sink.ids)} received twice")
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        controller.stop()
        app.control.purge()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

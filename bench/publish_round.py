"""Publishing a national round: what the department's request does (start the job) and what the worker does
(every announcement, in the portal and by e-mail), on a copy of a prepared national database.

    .venv/bin/python bench/rush/prepare.py          # once: info_rush, the nation's simulated round
    nice .venv/bin/python bench/publish_round.py    # copies info_rush to info_publish, publishes there

The round of the prepared database is not published yet. The request's part is `round_publish_start` with a
broker that is never reached (the job row and the task message are what the request writes; the message waits in
Redis for a worker); the worker's part is `round_publish_job` run in this process, as the Celery worker runs it.
Times are wall clock and this process's CPU; the counts are the rows the run wrote.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", default="info_rush", help="the prepared national database")
    parser.add_argument("--database", default="info_publish", help="the copy published in (recreated)")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/15")
    return parser.parse_args()


def main() -> None:
    args = _parse()
    for sql in (f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)',
                f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}" STRATEGY FILE_COPY'):
        subprocess.run(["psql", f"{args.pg}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)
    os.environ.update(DJANGO_SETTINGS_MODULE="info_portal.settings.test", DATABASE_URL=f"{args.pg}/{args.database}",
                      CELERY_BROKER_URL=args.broker, CELERY_RESULT_BACKEND=args.broker, LOG_LEVEL="WARNING")
    import django

    django.setup()
    from accounts.models import User
    from deadlines import services
    from deadlines.models import ReportingRound
    from jobs.models import Job
    from notifications.models import Notification

    admin = User.objects.get(username="dla.admin")
    round_ = ReportingRound.objects.select_related("fiscal_year").filter(published_at__isnull=True) \
        .order_by("-fiscal_year__be_year").first()
    if round_ is None:
        raise SystemExit("no unpublished round in the template database")
    before = Notification.objects.count()
    # What a running web process has already done: the URLs and the task module imported, the broker connected,
    # the Thai catalogue loaded.
    from django.urls import get_resolver
    from django.utils import translation

    from deadlines.tasks import round_publish_task
    from info_portal.celery import app

    translation.activate("th")
    assert get_resolver().url_patterns
    with app.producer_or_acquire() as producer:
        producer.connection.ensure_connection()
    assert round_publish_task.name

    started, cpu = time.perf_counter(), time.process_time()
    job = services.round_publish_start(actor=admin, round_=round_)
    request = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000

    job = Job.objects.get(pk=job.pk)
    started, cpu = time.perf_counter(), time.process_time()
    outcome = services.round_publish_job(job, lambda *a, **k: None)
    worker = time.perf_counter() - started, time.process_time() - cpu
    written = Notification.objects.count() - before

    print(f"round {round_.fiscal_year.be_year} published to the nation in {args.database}")
    print(f"the request (round_publish_start): {request[0]:.0f} ms wall, {request[1]:.0f} ms CPU")
    print(f"the worker (round_publish_job): {worker[0]:.1f} s wall, {worker[1]:.1f} s CPU; "
          f"{written:,} notifications written ({outcome.result})")


if __name__ == "__main__":
    main()

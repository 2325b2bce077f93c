"""Background jobs through the real services: a request that only starts the job, a real Celery worker that does
it, and a worker killed with SIGKILL in the middle of a national publication whose job, run again, finishes once.

Without CI these tests skip when the services are not configured; with CI set, a missing service is a failure.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deadlines import services
from jobs import services as job_services
from jobs.models import Job, JobStatus
from notifications.models import Channel, DeliveryStatus, Notification
from notifications.services import notifications_sweep
from tests.test_reminders_services import (
    Sink,
    SmtpServer,
    assert_each_sent_once,
    free_port,
    new_round,
    queue_drained,
    registry,
    wait_for,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def job_status(job: Job) -> str:
    return Job.objects.get(pk=job.pk).status


def test_publishing_from_the_page_only_starts_a_job_that_a_worker_finishes(broker, workers, client):
    registry(provinces=1, districts=2, laos=10)
    actor, _round = new_round()
    sink, port = Sink(), free_port()
    with SmtpServer(sink, port):
        worker = workers("jobs", port)
        client.force_login(actor)

        response = client.post(reverse("deadlines:round_year", args=[2568]), {"action": "publish"})

        job = Job.objects.get(kind="round_publish")
        assert response.status_code == 302 and response.url == job.get_absolute_url()
        wait_for(lambda: job_status(job) == JobStatus.SUCCEEDED, "the worker finishing the job", logs=[worker])
        wait_for(lambda: not Notification.objects.filter(channel=Channel.EMAIL)
                 .exclude(status=DeliveryStatus.SENT).exists(), "every e-mail sent", logs=[worker])
        wait_for(lambda: queue_drained(broker), "the queue drained", logs=[worker])
    assert "deadlines.tasks.round_publish_task[" in worker.log()
    job.refresh_from_db()
    people = 60 + 2 + 1 + 1  # LAO users, district officers, the provincial officer, the department
    assert (job.done, job.total, job.attempts, job.result["created"]) == (people, people, 1, 2 * people)
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"ส่งการแจ้งเตือนใหม่ {2 * people} รายการ" in page
    assert_each_sent_once(sink)


def test_a_worker_killed_mid_publication_and_the_job_run_again_announces_everyone_once(
        broker, workers, monkeypatch):
    monkeypatch.setenv("JOB_CHUNK_SIZE", "10")  # the workers write ten announcements per transaction
    registry(provinces=3, districts=4, laos=25)
    actor, round_ = new_round()
    sink, port = Sink(), free_port()
    with SmtpServer(sink, port):
        first = workers("publish-killed", port)
        job = services.round_publish_start(actor=actor, round_=round_)  # queued at once: no transaction here

        wait_for(lambda: Job.objects.get(pk=job.pk).done >= 200, "the job a good way in", logs=[first])
        first.kill()
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING and 200 <= job.done < job.total == 916
        written_before = Notification.objects.filter(kind="round_announced").count()

        second = workers("publish-again", port)
        # The starter runs the stale job again from its page, and Redis hands the killed worker's task back (as it
        # does after the visibility timeout): whichever comes second finds the job finished.
        later = timezone.now() + job_services.STALE_AFTER + timedelta(seconds=1)
        job_services.job_requeue(actor=actor, job=job, now=later)
        from info_portal.celery import app

        with app.connection_for_write() as broker_connection:
            channel = broker_connection.default_channel
            channel.visibility_timeout = 0
            channel.qos.restore_visible(num=100)
        wait_for(lambda: job_status(job) == JobStatus.SUCCEEDED, "the job run again finishing", logs=[second])
        # Rows the killed worker committed but had not yet handed to the broker are the outbox sweep's to queue.
        notifications_sweep(stale_after=timedelta(0))
        wait_for(lambda: not Notification.objects.filter(channel=Channel.EMAIL)
                 .exclude(status=DeliveryStatus.SENT).exists(), "every e-mail sent", seconds=300, logs=[second])
        wait_for(lambda: queue_drained(broker), "the queue drained", logs=[second])
        assert second.log().count("round_publish_task[") >= 4  # two received, two succeeded
        assert "'finished already'" in second.log()

    job.refresh_from_db()
    print(f"\ndrill: {written_before} of {2 * 916} rows written before SIGKILL; job {job.done}/{job.total}")
    assert (job.attempts, job.done) == (2, 916)
    assert job.result["created"] + job.result["existing"] == 2 * 916
    rows = list(Notification.objects.filter(kind="round_announced").values_list("recipient_id", "channel"))
    assert len(rows) == len(set(rows)) == 2 * 916
    assert 0 < written_before < 2 * 916, "the worker was not killed mid-way"
    assert_each_sent_once(sink)

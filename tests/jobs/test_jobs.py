"""Background jobs: started on commit, claimed once, progress and outcome on a page only their starter sees."""

from datetime import timedelta

import pytest
from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.models import Job, JobStatus

RUNS: list[int] = []


def _work(job: Job, progress: services.Progress) -> services.Outcome:
    RUNS.append(job.pk)
    progress(1, 2, step="ครึ่งทาง")
    if job.params.get("refuse"):
        raise services.JobRefused("ไฟล์ไม่ถูกต้อง", result={"errors": ["บรรทัด 3: ไม่พบอำเภอรหัส 9999"]})
    if job.params.get("crash"):
        raise RuntimeError("disk full")
    return services.Outcome(summary="เสร็จ 2 รายการ", result={"count": 2}, file_name="ผล.txt",
                            file_content="ข้อมูล".encode())


@shared_task(acks_late=True)
def sample_job_task(job_id: int) -> str:
    return services.job_run(job_id=job_id, work=_work)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    RUNS.clear()


def start(user, **params) -> Job:
    return services.job_start(kind="sample", title="งานทดสอบ", started_by=user, task=sample_job_task,
                              scope=params.pop("scope", ""), params=params)


def test_a_job_is_queued_only_once_its_transaction_commits(world, recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(recorder)
    assert RUNS == [] and Job.objects.get(pk=job.pk).status == JobStatus.QUEUED

    callbacks[0]()

    job.refresh_from_db()
    assert [job.pk] == RUNS
    assert (job.status, job.summary, job.result, job.done, job.total, job.attempts) == (
        JobStatus.SUCCEEDED, "เสร็จ 2 รายการ", {"count": 2}, 2, 2, 1)
    assert job.started_at and job.finished_at and job.output_name == "ผล.txt"


def test_running_a_finished_job_again_does_nothing(world, recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(recorder)

    assert sample_job_task(job.pk) == "finished already"

    assert [job.pk] == RUNS
    assert Job.objects.get(pk=job.pk).attempts == 1


def test_a_refusal_is_the_jobs_thai_error_and_an_unexpected_fault_names_the_job(
        world, recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        refused, crashed = start(recorder, refuse=True), start(recorder, crash=True)

    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.status, refused.error, refused.result) == (
        JobStatus.FAILED, "ไฟล์ไม่ถูกต้อง", {"errors": ["บรรทัด 3: ไม่พบอำเภอรหัส 9999"]})
    assert crashed.status == JobStatus.FAILED
    assert f"งานหมายเลข {crashed.pk}" in crashed.error and "disk full" not in crashed.error


def test_one_live_job_per_kind_and_scope(world, recorder, district_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        start(recorder, scope="round:1")
        with pytest.raises(ValidationError) as refused:
            start(district_officer, scope="round:1")
        start(district_officer, scope="round:2")
        start(district_officer)
        start(district_officer)
    assert recorder.full_name in refused.value.messages[0]
    assert Job.objects.count() == 4


def test_the_page_polls_while_the_job_runs_and_stops_when_it_is_done(
        world, client, recorder, django_capture_on_commit_callbacks):
    client.force_login(recorder)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(recorder)
    services.job_claim(job_id=job.pk)
    services.Progress(job.pk)(3, 10, step="กำลังตรวจ")

    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    partial = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert "htmx.min.js" in page and "<h1>งานทดสอบ</h1>" in page
    assert partial.lstrip().startswith('<div id="job-status"') and "<h1>" not in partial
    assert 'hx-trigger="every 1s"' in partial and 'value="3"' in partial and "3 จาก 10 (30%)" in partial
    assert "กำลังตรวจ" in partial
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    callbacks[0]()

    done = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "เสร็จ 2 รายการ" in done
    assert reverse("jobs:file", args=[job.pk]) in done
    download = client.get(reverse("jobs:file", args=[job.pk]))
    assert b"".join(download.streaming_content).decode() == "ข้อมูล"
    assert "attachment" in download["Content-Disposition"]


def test_only_the_starter_sees_a_job_its_file_and_may_run_it_again(
        world, client, recorder, verifier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(recorder, refuse=True)
    client.force_login(verifier)

    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:again", args=[job.pk])).status_code == 404
    assert job.title not in client.get(reverse("jobs:list")).content.decode()
    with pytest.raises(PermissionDenied):
        services.job_requeue(actor=verifier, job=job)
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_anonymous_visitors_are_sent_to_sign_in(world, client, recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(recorder)

    response = client.get(reverse("jobs:detail", args=[job.pk]))

    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_a_failed_or_stale_job_may_run_again_and_a_working_one_may_not(
        world, client, recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        working = start(recorder)
    services.job_claim(job_id=working.pk)
    working.refresh_from_db()
    now = timezone.now()
    assert not services.job_may_run_again(working, now=now)
    with pytest.raises(ValidationError):
        services.job_requeue(actor=recorder, job=working, now=now)

    later = now + services.STALE_AFTER + timedelta(seconds=1)
    assert services.job_may_run_again(working, now=later)
    client.force_login(recorder)
    Job.objects.filter(pk=working.pk).update(heartbeat_at=now - services.STALE_AFTER - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:again", args=[working.pk]))

    assert response.status_code == 302
    working.refresh_from_db()
    assert (working.status, working.attempts) == (JobStatus.SUCCEEDED, 2)


def test_the_job_list_shows_ones_own_jobs(world, client, recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(recorder)
    client.force_login(recorder)

    page = client.get(reverse("jobs:list")).content.decode()

    assert job.get_absolute_url() in page and "เสร็จแล้ว" in page

"""Writes on background jobs: start one (queued once the transaction commits), claim it in the worker, report its
progress, finish it once. Every job's task calls `job_run`, so a task delivered twice, or run again after its
worker died, finishes the job once."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import LIVE_STATUSES, Job, JobStatus

logger = logging.getLogger(__name__)

# A live job that has not reported progress for this long lost its worker (or never reached one): it may be run
# again. Every job reports at least once a minute while it works.
STALE_AFTER = timedelta(minutes=5)


@dataclass
class Outcome:
    """What a finished job hands back: a Thai summary, counts for the page, and optionally a file to download."""

    summary: str
    result: dict = field(default_factory=dict)
    file_name: str = ""
    file_content: bytes | None = None


class JobRefused(Exception):
    """The job cannot be done as asked; its Thai reasons are shown on the job's page (nothing was written)."""

    def __init__(self, message: str, *, result: dict | None = None):
        super().__init__(message)
        self.message, self.result = message, result or {}


class Progress:
    """How a job's work reports how far it got; written at once (outside the work's own transactions)."""

    def __init__(self, job_id: int):
        self.job_id = job_id

    def __call__(self, done: int, total: int | None = None, step: str | None = None) -> None:
        changes = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            changes["total"] = total
        if step is not None:
            changes["step"] = step[:200]
        Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(**changes)


def job_start(*, kind: str, title: str, started_by, task, scope: str = "", params: dict | None = None,
              input_file: File | None = None, return_url: str = "") -> Job:
    """Write the job and queue `task(job.pk)` once the transaction commits; one live job per kind and scope (a
    second start while one runs is refused with a Thai message naming who started the first)."""
    with transaction.atomic():
        live = Job.objects.filter(kind=kind, scope=scope, status__in=LIVE_STATUSES).exclude(scope="") \
            .select_related("started_by").first()
        if live is not None:
            raise ValidationError(_("งานนี้กำลังทำอยู่แล้ว เริ่มโดย %(who)s") % {"who": live.started_by})
        job = Job(kind=kind, task=task.name, title=title[:300], started_by=started_by, scope=scope, params=params or {},
                  return_url=return_url)
        if input_file is not None:
            job.input_file.save(input_file.name or "upload", input_file, save=False)
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:  # started at the same moment by someone else
            raise ValidationError(_("งานนี้กำลังทำอยู่แล้ว")) from None
        _queue(job)
    return job


def _queue(job: Job) -> None:
    from info_portal.celery import app

    task, job_id = app.tasks[job.task], job.pk
    # If the broker is down the job stays queued; its page offers to run it again once it is stale.
    transaction.on_commit(lambda: task.delay(job_id), robust=True)


def job_requeue(*, actor, job: Job, now=None) -> Job:
    """The starter runs a failed job again, or a live one whose worker has not reported for STALE_AFTER. The work
    itself is safe to run twice, so whatever the first run wrote is finished, not repeated."""
    now = now or timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.started_by_id != actor.pk:
            raise PermissionDenied
        if not job_may_run_again(job, now=now):
            raise ValidationError(_("งานนี้ยังทำงานอยู่ หรือเสร็จแล้ว"))
        job.status, job.error, job.heartbeat_at = JobStatus.QUEUED, "", now
        job.save(update_fields=["status", "error", "heartbeat_at"])
        _queue(job)
    return job


def job_may_run_again(job: Job, *, now=None) -> bool:
    now = now or timezone.now()
    if job.status == JobStatus.FAILED:
        return True
    last_sign = job.heartbeat_at or job.started_at or job.created_at
    return job.status in LIVE_STATUSES and last_sign is not None and now - last_sign > STALE_AFTER


def job_claim(*, job_id: int) -> Job | None:
    """The worker takes the job: running, one more attempt. None when it is finished already (a second delivery)
    or does not exist."""
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("started_by").filter(pk=job_id).first()
        if job is None or job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            return None
        now = timezone.now()
        job.status, job.attempts, job.heartbeat_at = JobStatus.RUNNING, job.attempts + 1, now
        job.started_at = job.started_at or now
        job.save(update_fields=["status", "attempts", "heartbeat_at", "started_at"])
    return job


def job_succeed(*, job_id: int, outcome: Outcome) -> None:
    """Record the summary (and the file) of a running job; a job finished already stays as it was."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, status=JobStatus.RUNNING).first()
        if job is None:
            return
        if outcome.file_content is not None:
            job.output_file.save(outcome.file_name, ContentFile(outcome.file_content), save=False)
            job.output_name = outcome.file_name
        job.status, job.summary, job.result = JobStatus.SUCCEEDED, outcome.summary, outcome.result
        job.finished_at = job.heartbeat_at = timezone.now()
        if job.total is None:
            job.total = job.done
        job.done = job.total
        job.save()


def job_fail(*, job_id: int, error: str, result: dict | None = None) -> None:
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, error=error, result=result or {}, finished_at=timezone.now())


def job_run(*, job_id: int, work: Callable[[Job, Progress], Outcome]) -> str:
    """The body of every job's task: claim the job, do the work, record its outcome or its Thai error. A job that
    is finished already is left alone, so a second delivery of the task does nothing."""
    job = job_claim(job_id=job_id)
    if job is None:
        return "finished already"
    try:
        outcome = work(job, Progress(job.pk))
    except JobRefused as refused:
        job_fail(job_id=job.pk, error=refused.message, result=refused.result)
        return JobStatus.FAILED
    except ValidationError as invalid:
        job_fail(job_id=job.pk, error=" ".join(invalid.messages))
        return JobStatus.FAILED
    except PermissionDenied:
        job_fail(job_id=job.pk, error=_("ผู้เริ่มงานไม่มีสิทธิ์ทำงานนี้แล้ว"))
        return JobStatus.FAILED
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job_fail(job_id=job.pk, error=_("งานหยุดเพราะเกิดข้อผิดพลาดในระบบ กดทำอีกครั้งได้ "
                                         "หากยังไม่สำเร็จโปรดแจ้งผู้ดูแลระบบ (งานหมายเลข %(id)d)") % {"id": job.pk})
        return JobStatus.FAILED
    job_succeed(job_id=job.pk, outcome=outcome)
    return JobStatus.SUCCEEDED

"""Exports too long for a web request, as Celery tasks that carry the job's id only."""

from celery import shared_task

from dashboards.jobs import laggards_pdf_job
from jobs.services import job_run


@shared_task(acks_late=True)
def laggards_pdf_task(job_id: int) -> str:
    """Make the laggard PDF of this job's scope (dashboards.jobs); it only reads, so running it twice is harmless."""
    return job_run(job_id=job_id, work=laggards_pdf_job)

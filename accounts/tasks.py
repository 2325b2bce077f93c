"""Bulk account creation as a Celery task: it carries the job's id only, and a second delivery does nothing."""

from celery import shared_task

from accounts.bulk import accounts_bulk_job
from jobs.services import job_run


@shared_task(acks_late=True)
def accounts_bulk_create_task(job_id: int) -> str:
    """Check the rows of this job's file and create every account, or none (accounts.bulk)."""
    return job_run(job_id=job_id, work=accounts_bulk_job)

"""The registry import as a Celery task: it carries the job's id only, and a second delivery does nothing."""

from celery import shared_task

from jobs.services import job_run
from organizations.registry.job import registry_import_job


@shared_task(acks_late=True)
def registry_import_task(job_id: int) -> str:
    """Check or import the registry file of this job (organizations.registry.registry_import)."""
    return job_run(job_id=job_id, work=registry_import_job)

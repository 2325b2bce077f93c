"""The daily reminder plan as a Celery task, run by beat at 08:30 Bangkok time (see the admin's Periodic tasks)."""

import datetime

from celery import shared_task
from django.utils import timezone

from deadlines import reminders, services
from jobs.services import job_run


@shared_task(acks_late=True)
def reminders_plan_task(date: str | None = None) -> dict[str, int]:
    """Plan and send the reminders due on `date` (ISO; today in Bangkok when beat runs it). Safe to run twice, or
    twice at once: a message already written under its key is neither written nor sent again."""
    today = datetime.date.fromisoformat(date) if date else timezone.localdate()
    plans = reminders.reminders_plan(today=today)
    return {"planned": sum(len(plan.messages) for plan in plans),
            "created": sum(plan.written.created for plan in plans if plan.written)}


@shared_task(acks_late=True)
def round_publish_task(job_id: int) -> str:
    """Publish the round of this job (deadlines.services.round_publish); a second delivery finishes it once."""
    return job_run(job_id=job_id, work=services.round_publish_job)

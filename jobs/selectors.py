"""Reads on background jobs: a job is seen only by the person who started it."""

from django.db.models import QuerySet
from django.http import Http404

from jobs.models import LIVE_STATUSES, Job


def jobs_of(user) -> QuerySet[Job]:
    return Job.objects.filter(started_by=user)


def job_or_404(user, job_id: int) -> Job:
    """The user's own job; anyone else's is 404, as a foreign unit's data is."""
    job = jobs_of(user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def live_job(*, kind: str, scope: str) -> Job | None:
    """The job of this kind and scope that is queued or running, if any (there is at most one)."""
    return Job.objects.filter(kind=kind, scope=scope, status__in=LIVE_STATUSES).select_related("started_by").first()

"""A job's page (polled by htmx while it runs), its file, running it again, and the list of one's own jobs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jobs import selectors, services

POLL_SECONDS = 1


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job's status, progress bar and result; htmx asks for the status part again each second while it runs."""
    job = selectors.job_or_404(request.user, job_id)
    context = {"job": job, "poll_seconds": POLL_SECONDS, "may_run_again": services.job_may_run_again(job)}
    if request.htmx:
        return render(request, "jobs/includes/job_status.html", context)
    return render(request, "jobs/job_detail.html", context)


@login_required
@require_GET
def job_file(request: HttpRequest, job_id: int) -> FileResponse:
    job = selectors.job_or_404(request.user, job_id)
    if not job.output_file:
        raise Http404
    return FileResponse(job.output_file.open("rb"), as_attachment=True, filename=job.output_name or None)


@login_required
@require_POST
def job_run_again(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.job_or_404(request.user, job_id)
    try:
        services.job_requeue(actor=request.user, job=job)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(job)


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/job_list.html", {"jobs": selectors.jobs_of(request.user)[:50]})

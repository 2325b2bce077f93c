"""The laggard PDF of a scope as a background job: a national list takes longer than a web request may."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from dashboards import exports, selectors
from jobs.models import Job
from jobs.services import Outcome, Progress, job_start
from sectors.models import FiscalYear


def laggards_pdf_start(*, actor, scope: selectors.Scope, digits: bool, today: date, return_url: str) -> Job:
    """Queue the PDF of this scope's laggards as of `today`; its page gives the link once it is made."""
    from dashboards.tasks import laggards_pdf_task  # tasks call services: import here, not above

    return job_start(
        kind="laggards_pdf", task=laggards_pdf_task, started_by=actor, return_url=return_url,
        title=_("PDF รายชื่อ อปท. ที่ยังไม่ดำเนินการ · %(scope)s") % {"scope": scope.label},
        params={"level": str(scope.level), "code": scope.code, "fiscal_year": scope.fiscal_year.pk,
                "lao_type": scope.lao_type, "digits": digits, "today": today.isoformat()},
    )


def laggards_pdf_job(job: Job, progress: Progress) -> Outcome:
    """Make the PDF for the job's starter, within the scope they may still see (it only reads: safe to run twice)."""
    params = job.params
    try:
        scope = selectors.scope_for(job.started_by, level=params["level"], code=params["code"],
                                    fiscal_year=FiscalYear.objects.get(pk=params["fiscal_year"]),
                                    lao_type=params["lao_type"])
    except Http404:
        raise PermissionDenied from None
    progress(0, step=_("กำลังรวบรวมรายชื่อ"))
    today = date.fromisoformat(params["today"])
    report = selectors.laggards_of(scope, today=today)
    progress(0, step=_("กำลังจัดทำ PDF %(count)s แห่ง") % {"count": f"{len(report.rows):,}"})
    pdf = exports.laggards_pdf(report, digits=params["digits"])
    unit = f"{scope.level}-{scope.code}" if scope.code else str(scope.level)
    return Outcome(summary=_("จัดทำ PDF แล้ว: ยังไม่รับรองครบทุกด้าน %(count)s แห่ง") % {"count": f"{len(report.rows):,}"},
                   result={"laggards": len(report.rows)}, file_content=pdf,
                   file_name=f"laggards-{unit}-{scope.fiscal_year.be_year}-{today:%Y%m%d}.pdf")

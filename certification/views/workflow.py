"""The workflow screens: what waits for me, the review of a report with its steps, submission, and certify-all.

Each step is one service of certification.services; the views only read the forms, call it and show the answer.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy
from accounts.policy import Action
from certification import selectors, services
from certification.diff import recertification_of
from certification.forms import CertifyAllForm, CertifyForm, QueueFilterForm, ReturnForm, SubmitForm, VerifyForm
from certification.models import TransitionAction
from certification.services import TransitionRefused
from sectors import selectors as sector_selectors
from sectors.models import FiscalYear, SectorReport
from sectors.workflow import actions_from, waiting_for

# The steps taken on the review page; submission is the recorder's, from the report page.
REVIEW_STEPS = (TransitionAction.VERIFY, TransitionAction.RETURN, TransitionAction.CERTIFY)


def certificate_url(report: SectorReport) -> str:
    """The certificate page of a certified report; none before it is certified."""
    return reverse("certification:certificate", args=[report.pk]) if report.is_certified else ""


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """งานที่รอฉัน: across every LAO where the user holds a role; ?step=, ?lao= and ?year= narrow it to one list,
    one of the user's LAOs or one fiscal year (the counts of the home page link here)."""
    user = request.user
    form = QueueFilterForm(request.GET or None,
                           laos=list(policy.laos_served(user).order_by("name_th").values_list("pk", "name_th")),
                           years=list(FiscalYear.objects.order_by("-be_year").values_list("be_year", flat=True)))
    filters = form.filters
    step, only = filters["step"], {"lao_id": filters["lao"], "be_year": filters["year"]}
    queue = selectors.queue_for(user, **only)
    if step in waiting_for(Action.RECORD):  # one status of the recorder's list
        queue.to_fix = [report for report in queue.to_fix if report.status == step]
    reviews = Action.VERIFY in queue.roles or Action.CERTIFY in queue.roles
    returns = selectors.returns_sent_by(user, **only) if reviews else []
    shown = {
        "verify": not step or step == "verify", "certify": not step or step == "certify",
        "record": step in ("", "record", *waiting_for(Action.RECORD)),
        "sent_verify": Action.VERIFY in queue.roles and step in ("", "sent_verify"),
        "sent_certify": Action.CERTIFY in queue.roles and step in ("", "sent_certify"),
    }
    return render(request, "certification/queue.html", {
        "queue": queue, "form": form, "step": step, "shown": shown,
        "filtered": bool(step or filters["lao"] or filters["year"]), "filters": filters,
        "lao_label": dict(form.fields["lao"].choices).get(filters["lao"], ""),
        "step_label": QueueFilterForm.STEPS.get(step, ""),
        "sent_verify": [r for r in returns if r.returned_from in waiting_for(Action.VERIFY)],
        "sent_certify": [r for r in returns if r.returned_from in waiting_for(Action.CERTIFY)],
    })


def _steps(request: HttpRequest, report: SectorReport) -> list[str]:
    """The steps this user may take on the report now: the graph's edges from its status that the policy allows."""
    return [edge.action for edge in actions_from(report.status)
            if edge.action in REVIEW_STEPS and policy.can(request.user, edge.permission, report.lao)]


def _render_review(request: HttpRequest, report: SectorReport, *, forms: dict[str, Any] | None = None,
                   refused: TransitionRefused | None = None, status: int = 200) -> HttpResponse:
    steps = _steps(request, report)
    review = selectors.report_review(report)
    forms = forms or {}
    return_form = forms.get("return") or ReturnForm(indicators=[item.indicator for item in review.items])
    may_return = TransitionAction.RETURN in steps
    sections = [(section, [(item, return_form.reason_field(item.code) if may_return else None)
                           for item in section.items]) for section in review.sections]
    return render(request, "certification/review.html", {
        "report": report,
        "lao": report.lao,
        "sector": report.sector,
        "fiscal_year": report.fiscal_year,
        "review": review,
        "recertification": recertification_of(report),
        "sections": sections,
        "events": selectors.report_events(report),
        "steps": steps,
        "may_verify": TransitionAction.VERIFY in steps,
        "may_return": may_return,
        "may_certify": TransitionAction.CERTIFY in steps,
        "verify_form": forms.get("verify") or VerifyForm(),
        "return_form": return_form,
        "certify_form": forms.get("certify") or CertifyForm(),
        "refused": refused,
        "report_url": report.get_absolute_url(),
        "certificate_url": certificate_url(report),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, report_id: int) -> HttpResponse:
    """GET: each item beside last year's, the change, the reasons and the issues, and the steps the user may take.
    POST "step" = verify / return / certify: take it."""
    report = selectors.report_or_404(request.user, report_id)
    if request.method == "GET":
        return _render_review(request, report)

    step = request.POST.get("step")
    if step not in REVIEW_STEPS:
        return HttpResponseBadRequest()
    form = _step_form(step, report, request.POST)
    if not form.is_valid():
        return _render_review(request, report, forms={step: form})
    try:
        _take(step, report, form, request.user)
    except TransitionRefused as refused:
        report.refresh_from_db(fields=["status"])
        return _render_review(request, report, forms={step: form}, refused=refused, status=409)
    messages.success(request, {
        TransitionAction.VERIFY: _("ยืนยันผลการตรวจสอบแล้ว ส่งต่อให้ผู้รับรองข้อมูล"),
        TransitionAction.RETURN: _("ส่งกลับให้ผู้บันทึกข้อมูลแก้ไขแล้ว"),
        TransitionAction.CERTIFY: _("รับรองข้อมูลแล้ว ข้อมูลชุดนี้ถูกปิดผนึกและแก้ไขไม่ได้อีก"),
    }[step])
    return redirect("certification:review", report.pk)


def _step_form(step: str, report: SectorReport, data=None) -> VerifyForm | ReturnForm | CertifyForm:
    if step == TransitionAction.RETURN:
        return ReturnForm(data, indicators=sector_selectors.indicators_for(report))
    return {TransitionAction.VERIFY: VerifyForm, TransitionAction.CERTIFY: CertifyForm}[step](data)


def _take(step: str, report: SectorReport, form, actor) -> None:
    """One step, through its service."""
    comment = form.cleaned_data["comment"]
    if step == TransitionAction.VERIFY:
        services.report_verify(report_id=report.pk, actor=actor, comment=comment)
    elif step == TransitionAction.RETURN:
        services.report_return(report_id=report.pk, actor=actor, comment=comment,
                               field_reasons=form.field_reasons())
    else:
        services.report_certify(report_id=report.pk, actor=actor, comment=comment)


@login_required
@require_POST
def submit(request: HttpRequest, report_id: int) -> HttpResponse:
    """The recorder sends the stored values for checking. Refused: the issues, and the warnings to confirm."""
    report = selectors.report_or_404(request.user, report_id)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _render_submit(request, report, form, refused=None, status=400)
    try:
        services.report_submit(report_id=report.pk, actor=request.user, comment=form.cleaned_data["comment"],
                               confirm_warnings=form.cleaned_data["confirm_warnings"])
    except TransitionRefused as refused:
        report.refresh_from_db(fields=["status"])
        return _render_submit(request, report, form, refused=refused, status=409)
    messages.success(request, _("ส่งข้อมูลให้ผู้ตรวจสอบแล้ว"))
    return redirect(report.get_absolute_url())


def _render_submit(request: HttpRequest, report: SectorReport, form: SubmitForm, *,
                   refused: TransitionRefused | None, status: int) -> HttpResponse:
    checks = refused.checks if refused is not None else None
    labels = {item.code: item.display_name for item in sector_selectors.indicators_for(report)}

    def described(issues):
        return [(labels.get(issue.code, ""), issue) for issue in issues]

    warnings = described(checks.warnings) if checks else []
    return render(request, "certification/report_submit.html", {
        "report": report,
        "lao": report.lao,
        "sector": report.sector,
        "fiscal_year": report.fiscal_year,
        "form": form,
        "refused": refused,
        "errors": described(checks.errors) if checks else [],
        "warnings": warnings,
        # A big change needs the recorder's reason on the report page; a tick does not do.
        "needs_reasons": any(issue.kind == "big_change" for _label, issue in warnings),
        "may_resubmit": report.is_editable and bool(checks) and not checks.errors,
        "report_url": report.get_absolute_url(),
    }, status=status)


# --- certify all verified sectors of an LAO ----------------------------------------------------------------------

def _key_figures(review: selectors.Review, limit: int = 4) -> list[tuple[str, str, str]]:
    """The first required numbers of the sector: label, value, unit."""
    figures = [(item.indicator.display_name, item.display, item.indicator.display_unit) for item in review.items
               if item.indicator.required and item.indicator.is_numeric and item.value is not None]
    return figures[:limit]


def _summary(reports: list[SectorReport]) -> list[dict[str, Any]]:
    rows = []
    for report in reports:
        review = selectors.report_review(report)
        rows.append({"report": report, "review": review, "items": len(review.items), "filled": review.filled,
                     "figures": _key_figures(review), "warnings": review.checks.warnings,
                     "errors": review.checks.errors, "recertification": recertification_of(report)})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def certify_all(request: HttpRequest, lao_id: int, year: int) -> HttpResponse:
    """GET: a summary of every verified sector of the LAO and year. POST: certify them all, or none."""
    lao = policy.lao_or_404(request.user, lao_id)
    if not policy.can(request.user, Action.CERTIFY, lao):
        raise PermissionDenied
    fiscal_year = get_object_or_404(FiscalYear, be_year=year)
    reports = selectors.verified_reports(lao, fiscal_year)
    for report in reports:
        report.lao = lao
    form = CertifyAllForm(request.POST if request.method == "POST" else None,
                          report_ids=[report.pk for report in reports])
    refused, status = None, 200
    if request.method == "POST" and form.is_valid():
        chosen = [report for report in reports if report.pk in form.cleaned_data["reports"]]
        try:
            services.reports_certify_all(report_ids=[report.pk for report in chosen], actor=request.user)
        except services.CertifyAllRefused as error:
            refused, status = (error.report, error), 409
        else:
            messages.success(request, _("รับรองข้อมูลแล้ว %(count)s ด้าน") % {"count": len(chosen)})
            return redirect("sectors:lao_sectors", lao.pk, fiscal_year.be_year)
    return render(request, "certification/certify_all.html", {
        "lao": lao,
        "fiscal_year": fiscal_year,
        "rows": _summary(reports),
        "others": selectors.other_reports(lao, fiscal_year),
        "form": form,
        "refused_report": refused[0] if refused else None,
        "refused": refused[1] if refused else None,
    }, status=status)

"""Sector data entry in the browser: an LAO's eight sector cards, and the report page of one sector."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import TextInput
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy
from accounts.policy import Action
from organizations.models import LAO
from sectors import page_context, selectors, services, values
from sectors.checks import CheckResult
from sectors.forms import ReportForm
from sectors.models import EDITABLE_STATUSES, FiscalYear, ReportStatus, Sector, SectorReport

# The next step each user has on a sector, by the report's status and the user's roles on the LAO.
NEXT_RECORD, NEXT_VERIFY, NEXT_CERTIFY, NEXT_VIEW = "record", "verify", "certify", "view"


def next_action(status: str | None, may: dict[Action, bool], *, can_start: bool) -> str:
    if may[Action.RECORD] and (status in EDITABLE_STATUSES or (status is None and can_start)):
        return NEXT_RECORD
    if may[Action.VERIFY] and status == ReportStatus.SUBMITTED:
        return NEXT_VERIFY
    if may[Action.CERTIFY] and status == ReportStatus.VERIFIED:
        return NEXT_CERTIFY
    return NEXT_VIEW


@login_required
def lao_current(request: HttpRequest, lao_id: int) -> HttpResponse:
    """The LAO's sector cards of the current fiscal year."""
    lao = policy.lao_or_404(request.user, lao_id)
    fiscal_year = selectors.current_fiscal_year()
    if fiscal_year is None:
        messages.info(request, _("ยังไม่ได้เปิดปีงบประมาณสำหรับบันทึกข้อมูล"))
        return redirect(lao.get_absolute_url())
    return redirect("sectors:lao_sectors", lao.pk, fiscal_year.be_year)


@login_required
def lao_sectors(request: HttpRequest, lao_id: int, year: int) -> HttpResponse:
    """The eight sector cards: status, required items filled, and the next step for this user."""
    lao = policy.lao_or_404(request.user, lao_id)
    fiscal_year = get_object_or_404(FiscalYear, be_year=year)
    may = {action: policy.can(request.user, action, lao) for action in (Action.RECORD, Action.VERIFY, Action.CERTIFY)}
    cards = selectors.lao_sector_cards(lao, fiscal_year)
    can_start = _is_current(fiscal_year)
    for card in cards:
        card["next_action"] = next_action(card["status"], may, can_start=can_start)
        card["status_label"] = ReportStatus(card["status"]).label if card["status"] else None
        card["url"] = reverse("sectors:report", args=[lao.pk, fiscal_year.be_year, card["sector"].code])
        # Verifying and certifying happen on the review page of the report.
        card["action_url"] = reverse("certification:review", args=[card["report"].pk]) \
            if card["next_action"] in (NEXT_VERIFY, NEXT_CERTIFY) else card["url"]
    return render(request, "sectors/lao_sectors.html", {
        "lao": lao,
        "fiscal_year": fiscal_year,
        "fiscal_years": FiscalYear.objects.all(),
        "cards": cards,
        "may_record": may[Action.RECORD],
        **page_context.cards_context(lao, fiscal_year),
    })


def _is_current(fiscal_year: FiscalYear) -> bool:
    current = selectors.current_fiscal_year()
    return current is not None and current.pk == fiscal_year.pk


def _report_of(lao: LAO, sector: Sector, fiscal_year: FiscalYear, *, may_record: bool) -> SectorReport:
    """The stored report; a recorder of the current year opens it (created with last year's certified values) on
    first use. Otherwise an unsaved one, to show an empty page."""
    report = SectorReport.objects.filter(lao=lao, sector=sector, fiscal_year=fiscal_year) \
        .select_related("updated_by").first()
    if report is None and may_record and _is_current(fiscal_year):
        report = services.report_open(lao=lao, sector=sector, fiscal_year=fiscal_year)
    if report is None:
        return SectorReport(lao=lao, sector=sector, fiscal_year=fiscal_year)
    report.lao, report.sector, report.fiscal_year = lao, sector, fiscal_year
    return report


def _located(request: HttpRequest, lao_id: int, year: int, sector_code: str, action: Action) \
        -> tuple[SectorReport, bool]:
    """The report of the page and whether the user records it. A stored report the user may `action` on comes in
    one query that asks the policy too; otherwise the LAO, year and sector are looked up one by one (404 outside
    the user's scope, 403 for a write by someone who does not record it), and the report opened on first use."""
    report = SectorReport.objects.select_related("lao__province", "lao__district", "fiscal_year", "sector",
                                                 "updated_by") \
        .filter(lao_id=lao_id, lao_id__in=policy.lao_ids_for(request.user, action), fiscal_year__be_year=year,
                sector__code=sector_code).order_by("pk").first()
    if report is not None:
        may_record = action == Action.RECORD or policy.can(request.user, Action.RECORD, report.lao)
        return report, may_record
    lao = policy.lao_or_404(request.user, lao_id)
    fiscal_year = get_object_or_404(FiscalYear, be_year=year)
    sector = get_object_or_404(Sector, code=sector_code)
    may_record = policy.can(request.user, Action.RECORD, lao)
    if action == Action.RECORD and not may_record:
        raise PermissionDenied
    return _report_of(lao, sector, fiscal_year, may_record=may_record), may_record


def _form(report: SectorReport, rows: dict, data=None, *, editable: bool) -> ReportForm:
    check_url = reverse("sectors:field_check", args=[report.lao_id, report.fiscal_year.be_year, report.sector.code]) \
        if editable else ""
    return ReportForm(data, indicators=selectors.indicators_for(report), rows=rows, version=report.version,
                      check_url=check_url,
                      sums=selectors.catalogue_of(report.fiscal_year).sums_of_sector(report.sector_id))


def _stored(form: ReportForm) -> tuple[dict[str, Any], dict[str, str]]:
    typed = {code: values.read(row) for code, row in form.rows.items()}
    return typed, {code: row.change_reason for code, row in form.rows.items()}


def _render(request: HttpRequest, report: SectorReport, form: ReportForm, *, editable: bool,
            inputs: selectors.ReportInputs, checks: CheckResult | None = None, status: int = 200,
            **context: Any) -> HttpResponse:
    """The report page, or only its body (the form, or the read-only values) when htmx asked for it."""
    if checks is None:
        typed, reasons = _stored(form)
        checks = services.report_check(report=report, new_values=typed, reasons=reasons, for_submit=False,
                                       inputs=inputs) if report.pk else CheckResult()
    last_year = inputs.last_year
    shown = page_context.report_context(report)
    sections = form.sections(last_year=last_year, checks=checks, latest=context.get("latest"),
                             return_reasons=shown["return_reasons"])
    context.update(shown)
    context.update({
        "report": report,
        "lao": report.lao,
        "sector": report.sector,
        "fiscal_year": report.fiscal_year,
        "form": form,
        "editable": editable,
        "sections": sections,
        "submit_url": reverse("certification:submit", args=[report.pk]) if editable else "",
        "review_url": reverse("certification:review", args=[report.pk]) if report.pk and not report.is_editable
        else "",
        "has_last_year": bool(last_year),
        "may_reopen": report.status == ReportStatus.CERTIFIED and policy.can(request.user, Action.REOPEN, report.lao),
        "report_url": reverse("sectors:report", args=[report.lao_id, report.fiscal_year.be_year, report.sector.code]),
        "dirty": form.is_bound,  # a form sent back with what was typed: not saved yet
        # A refused save answers with the report as it is now: its status and return notice are sent again.
        "refused": request.htmx and status == 409,
    })
    if request.htmx:
        return render(request, "sectors/includes/report_body.html", context, status=status)
    context["sector_links"] = selectors.catalogue_of(report.fiscal_year).sectors
    return render(request, "sectors/report_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, lao_id: int, year: int, sector_code: str) -> HttpResponse:
    """GET: the sector's data, editable by the LAO's recorders while a draft. POST: save it, or check it before
    submission ("action" = "save" / "check"; "confirm_section" = N confirms section N's carried values)."""
    writing = request.method == "POST"
    report, may_record = _located(request, lao_id, year, sector_code, Action.RECORD if writing else Action.SEE)
    editable = may_record and report.pk is not None and report.is_editable
    if writing and report.pk is None:
        raise Http404  # no report of that year to write into
    # The stored rows, last year's values and the other sectors' values the rules name: one query, read before the
    # form is built (an answer from an older catalogue stays a valid choice) and handed on to the save.
    inputs = selectors.report_inputs(report)
    if not writing:
        return _render(request, report, _form(report, inputs.rows, editable=editable), editable=editable,
                       inputs=inputs)
    if not report.is_editable:
        return _render(request, report, _form(report, inputs.rows, editable=False), editable=False, inputs=inputs,
                       status=409, notice="not_editable")
    form = _form(report, inputs.rows, request.POST, editable=True)
    if not form.is_valid():
        return _render(request, report, form, editable=True, inputs=inputs, notice="invalid")
    if request.POST.get("action") == "check":
        checks = services.report_check(report=report, new_values=form.typed_values(), reasons=form.reasons(),
                                       for_submit=True, inputs=inputs)
        summary = form.check_summary(checks, request.POST.getlist("confirm_warning"))
        return _render(request, report, form, editable=True, inputs=inputs, checks=checks, summary=summary,
                       notice="checked")
    return _save(request, report, form, inputs)


def _save(request: HttpRequest, report: SectorReport, form: ReportForm, inputs: selectors.ReportInputs) \
        -> HttpResponse:
    section = request.POST.get("confirm_section", "")
    confirm_codes = form.section_codes(int(section)) if section.isdigit() else None
    try:
        result = services.report_save(
            report_id=report.pk, user=request.user, expected_version=form.cleaned_data["version"],
            new_values=form.typed_values(), reasons=form.reasons(),
            confirm_unchanged=confirm_codes is not None, confirm_codes=confirm_codes or [], inputs=inputs,
        )
    except services.ReportConflict as conflict:
        # Keep what the user typed, and take the current version: saving again is a deliberate overwrite.
        report.refresh_from_db(fields=["version", "updated_at", "updated_by", "status"])
        data = request.POST.copy()
        data["version"] = str(conflict.version)
        inputs = selectors.report_inputs(report)
        form = _form(report, inputs.rows, data, editable=True)
        form.is_valid()
        latest, _reasons = _stored(form)
        return _render(request, report, form, editable=True, inputs=inputs, status=409, notice="conflict",
                       conflict=conflict, latest=latest)
    except services.ReportNotEditable:
        report.refresh_from_db(fields=["status", "version"])
        inputs = selectors.report_inputs(report)
        return _render(request, report, _form(report, inputs.rows, editable=False), editable=False, inputs=inputs,
                       status=409, notice="not_editable")
    saved = result.report
    saved.lao, saved.sector, saved.fiscal_year = report.lao, report.sector, report.fiscal_year
    if request.htmx:
        return _render_saved(request, saved, result, confirmed=confirm_codes is not None)
    if confirm_codes is not None:
        messages.success(request, _("ยืนยันข้อมูลที่ยกมาจากปีก่อนแล้ว"))
    else:
        messages.success(request, _("บันทึกข้อมูลแล้ว"))
    if result.checks.errors:
        messages.warning(request, _("ข้อมูลบางรายการยังไม่ผ่านการตรวจสอบ ดูข้อความสีแดงข้างช่อง"))
    return redirect(saved.get_absolute_url())


def _render_saved(request: HttpRequest, report: SectorReport, result: services.SaveResult, *,
                  confirmed: bool) -> HttpResponse:
    """htmx: after a save, only what it changed, out of band into the form on screen (report_saved.html)."""
    form = _form(report, result.inputs.rows, editable=True)
    sections = form.sections(last_year=result.inputs.last_year, checks=result.checks)
    for item in (item for section in sections for item in section.items):
        if isinstance(item.value.field.widget, TextInput):
            shown = item.value.value()
            if str("" if shown is None else shown) != request.POST.get(item.code, ""):
                item.refreshed_input = item.value.as_widget(attrs={"hx-swap-oob": "true"})
    response = render(request, "sectors/includes/report_saved.html", {
        "report": report, "form": form, "sections": sections, "editable": True, "notice": "saved",
        "confirmed": confirmed,
    })
    # The form stays on screen; the pieces come out of band. The page forgets that it was sent back unsaved.
    response["HX-Reswap"] = "none"
    response["HX-Trigger"] = "report-saved"
    return response


@login_required
@require_POST
def field_check(request: HttpRequest, lao_id: int, year: int, sector_code: str) -> HttpResponse:
    """htmx: the issues of the item that changed (its own box) and of the items rules tie to it (out of band),
    from what is typed now, without saving. No other item's checks depend on the changed one."""
    report, _may_record = _located(request, lao_id, year, sector_code, Action.RECORD)
    if report.pk is None:
        raise Http404
    if not report.is_editable:
        return HttpResponse(status=409)
    inputs = selectors.report_inputs(report)
    form = _form(report, inputs.rows, request.POST, editable=True)
    form.is_valid()
    checks = services.report_check(report=report, new_values=form.typed_values(), reasons=form.reasons(),
                                   for_submit=False, inputs=inputs)
    items = [item for section in form.sections(last_year=inputs.last_year, checks=checks) for item in section.items]
    changed = request.headers.get("HX-Trigger-Name", "").removesuffix("-na").removesuffix("-reason")
    tied = selectors.catalogue_of(report.fiscal_year).codes_tied_to(changed)
    return render(request, "sectors/includes/field_check.html", {
        "changed": next((item for item in items if item.code == changed), None),
        "others": [item for item in items if item.code != changed and item.code in tied],
        "editable": True,
    })

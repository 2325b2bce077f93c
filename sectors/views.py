"""Sector data entry in the browser: an LAO's eight sector cards, and the report page of one sector."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import TextInput
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy
from accounts.policy import Action
from sectors import history, page_context, selectors, services, values
from sectors.checks import CheckResult
from sectors.forms import ReportForm
from sectors.models import FiscalYear, ReportStatus, Sector, SectorReport
from sectors.page import SectorPage, page_of, sector_page
from sectors.workflow import Step, TransitionAction, edge_for, pending_step


def my_step(status: str | None, may: dict[Action, bool], *, can_start: bool) -> Step | None:
    """The step the user takes next on a sector: the one its report waits for, if the user may take it (a sector
    not yet started only in the current year); None when the user only looks."""
    step = pending_step(status)
    if step is None or not may[step.permission] or (status is None and not can_start):
        return None
    return step


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
    can_start = selectors.is_current_fiscal_year(fiscal_year.pk)
    for card in cards:
        report = card["report"] or SectorReport()
        report.lao, report.sector, report.fiscal_year = lao, card["sector"], fiscal_year
        card["step"] = my_step(card["status"], may, can_start=can_start)
        card["status_label"] = ReportStatus(card["status"]).label if card["status"] else None
        card["url"] = reverse("sectors:report", args=[lao.pk, fiscal_year.be_year, card["sector"].code])
        card["step_url"] = card["step"].url(report) if card["step"] else card["url"]
    return render(request, "sectors/lao_sectors.html", {
        "lao": lao,
        "fiscal_year": fiscal_year,
        "fiscal_years": FiscalYear.objects.all(),
        "cards": cards,
        "may_record": may[Action.RECORD],
        **page_context.cards_context(lao, fiscal_year),
    })


@login_required
def lao_years(request: HttpRequest, lao_id: int) -> HttpResponse:
    """The LAO's certified values across the years, item by item, with the change of the last year; `sector` (a
    code) narrows it to one sector. htmx gets the table alone (the LAO page loads it)."""
    lao = policy.lao_or_404(request.user, lao_id)
    code = request.GET.get("sector", "")
    sector = get_object_or_404(Sector, code=code) if code else None
    context = {"lao": lao, "sector": sector, "table": history.values_across_years(lao, sector=sector)}
    if request.htmx:
        return render(request, "sectors/includes/years_table.html", context)
    return render(request, "sectors/lao_years.html", {**context, "sector_links": Sector.objects.all()})


def _render(request: HttpRequest, page: SectorPage, form: ReportForm, *, checks: CheckResult | None = None,
            status: int = 200, **context: Any) -> HttpResponse:
    """The report page, or only its body (the form, or the read-only values) when htmx asked for it."""
    report, editable = page.report, page.editable
    if checks is None:
        checks = page.check_stored()
    shown = page.shown
    sections = form.sections(last_year=page.last_year, checks=checks, latest=context.get("latest"),
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
        # Only what is stored is submitted: a sector not started gets the button with its first save.
        "submit_url": reverse("certification:submit", args=[report.pk]) if editable and page.started else "",
        "review_url": reverse("certification:review", args=[report.pk]) if page.started and not report.is_editable
        else "",
        "has_last_year": bool(page.last_year),
        "may_reopen": edge_for(TransitionAction.REOPEN, report.status) is not None
        and policy.can(request.user, Action.REOPEN, report.lao),
        "report_url": page.url,
        "dirty": form.is_bound,  # a form sent back with what was typed: not saved yet
        # A refused save answers with the report as it is now: its status and return notice are sent again.
        "refused": request.htmx and status == 409,
    })
    if request.htmx:
        return render(request, "sectors/includes/report_body.html", context, status=status)
    context["sector_links"] = page.catalogue.sectors
    return render(request, "sectors/report_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, lao_id: int, year: int, sector_code: str) -> HttpResponse:
    """GET: the sector's data, editable by the LAO's recorders while a draft; a GET never writes. POST: save it
    (the first save of a sector not started creates its report), or check it before submission ("action" = "save" /
    "check"; "confirm_section" = N confirms section N's carried values)."""
    writing = request.method == "POST"
    # The report, its stored rows, last year's values and the other sectors' values the rules name, read once
    # before the form is built (an answer from an older catalogue stays a valid choice) and handed on to the save.
    page = sector_page(request.user, lao_id, year, sector_code, Action.RECORD if writing else Action.SEE)
    if not writing:
        return _render(request, page, page.form())
    if not page.editable:
        if not page.started:
            raise Http404  # no report of that year to write into
        return _render(request, page, page.form(), status=409, notice="not_editable")
    form = page.form(request.POST)
    if not form.is_valid():
        return _render(request, page, form, notice="invalid")
    if request.POST.get("action") == "check":
        checks = page.check(form.typed_values(), form.reasons(), for_submit=True)
        summary = form.check_summary(checks, request.POST.getlist("confirm_warning"))
        return _render(request, page, form, checks=checks, summary=summary, notice="checked")
    return _save(request, page, form)


def _save(request: HttpRequest, page: SectorPage, form: ReportForm) -> HttpResponse:
    section = request.POST.get("confirm_section", "")
    confirm_codes = form.section_codes(int(section)) if section.isdigit() else None
    report, started = page.report, page.started
    save = {"user": request.user, "expected_version": form.cleaned_data["version"],
            "new_values": form.typed_values(), "reasons": form.reasons(),
            "confirm_unchanged": confirm_codes is not None, "confirm_codes": confirm_codes or []}
    try:
        if started:
            result = services.report_save(report_id=report.pk, report=report, inputs=page.inputs, **save)
        else:
            result = services.report_save_first(lao=report.lao, sector=report.sector, fiscal_year=report.fiscal_year,
                                                **save)
    except services.ReportConflict as conflict:
        # Keep what the user typed, and take the current version: saving again is a deliberate overwrite.
        page = sector_page(request.user, report.lao_id, report.fiscal_year.be_year, report.sector.code,
                           Action.RECORD)
        data = request.POST.copy()
        data["version"] = str(conflict.version)
        form = page.form(data)
        form.is_valid()
        latest = {code: values.read(row) for code, row in page.rows.items()}
        return _render(request, page, form, status=409, notice="conflict", conflict=conflict, latest=latest)
    except services.ReportNotEditable:
        page.reread()
        return _render(request, page, page.form(), status=409, notice="not_editable")
    saved = result.report
    saved.lao, saved.sector, saved.fiscal_year = report.lao, report.sector, report.fiscal_year
    if request.htmx and started:
        return _render_saved(request, page, result, confirmed=confirm_codes is not None)
    if request.htmx:
        # The first save made the report: the form comes again whole, with the status and the submit button.
        page = page_of(saved, may_record=True)
        page.inputs = result.inputs
        response = _render(request, page, page.form(), checks=result.checks, notice="saved",
                           confirmed=confirm_codes is not None, started_now=True)
        response["HX-Trigger"] = "report-saved"
        return response
    if confirm_codes is not None:
        messages.success(request, _("ยืนยันข้อมูลที่ยกมาจากปีก่อนแล้ว"))
    else:
        messages.success(request, _("บันทึกข้อมูลแล้ว"))
    if result.checks.errors:
        messages.warning(request, _("ข้อมูลบางรายการยังไม่ผ่านการตรวจสอบ ดูข้อความสีแดงข้างช่อง"))
    return redirect(saved.get_absolute_url())


def _render_saved(request: HttpRequest, page: SectorPage, result: services.SaveResult, *,
                  confirmed: bool) -> HttpResponse:
    """htmx: after a save, only what it changed, out of band into the form on screen (report_saved.html)."""
    page.report, page.inputs = result.report, result.inputs
    form = page.form()
    sections = form.sections(last_year=page.last_year, checks=result.checks)
    for item in (item for section in sections for item in section.items):
        if isinstance(item.value.field.widget, TextInput):
            shown = item.value.value()
            if str("" if shown is None else shown) != request.POST.get(item.code, ""):
                item.refreshed_input = item.value.as_widget(attrs={"hx-swap-oob": "true"})
    shown: dict[str, Any] = {}
    if page.report.is_returned:  # the notice of the return, and after a reopen what now differs from the seal
        page.__dict__.pop("shown", None)
        shown = page.shown
    response = render(request, "sectors/includes/report_saved.html", {
        **shown, "report": page.report, "form": form, "sections": sections, "editable": True, "notice": "saved",
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
    from what is typed now, without saving (a sector not started included). No other item's checks depend on the
    changed one."""
    page = sector_page(request.user, lao_id, year, sector_code, Action.RECORD)
    if not page.editable:
        if not page.started:
            raise Http404
        return HttpResponse(status=409)
    form = page.form(request.POST)
    form.is_valid()
    checks = page.check(form.typed_values(), form.reasons(), for_submit=False)
    items = [item for section in form.sections(last_year=page.last_year, checks=checks) for item in section.items]
    changed = request.headers.get("HX-Trigger-Name", "").removesuffix("-na").removesuffix("-reason")
    tied = page.catalogue.codes_tied_to(changed)
    return render(request, "sectors/includes/field_check.html", {
        "changed": next((item for item in items if item.code == changed), None),
        "others": [item for item in items if item.code != changed and item.code in tied],
        "editable": True,
    })

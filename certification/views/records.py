"""The records of a report: its history, the certificate and the check of its seal, and reopening certified data."""

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from certification import diff, selectors, services
from certification import seal as sealing
from certification.display import catalogue_of, is_number, label, readable
from certification.forms import ReopenForm
from certification.models import CertificationSeal, ReportEvent, TransitionAction
from info_portal import thai
from info_portal.names import is_english
from sectors import selectors as sector_selectors
from sectors.models import Indicator, SectorReport, ValueChange
from sectors.workflow import edge_for

HISTORY_PAGE_SIZE = 50


# --- reads shared by the pages ------------------------------------------------------------------------------------

def _current_seal(report: SectorReport) -> CertificationSeal | None:
    seal = CertificationSeal.objects.filter(report=report, superseded_at__isnull=True) \
        .select_related("certified_by").first()
    if seal is not None:
        seal.report = report
    return seal


def _seal_or_404(request: HttpRequest, report: SectorReport) -> CertificationSeal:
    """The seal numbered ?n= (current or superseded), or without it the current seal."""
    number = request.GET.get("n")
    if number is None:
        seal = _current_seal(report)
    elif not number.isdigit():
        raise Http404
    else:
        seal = CertificationSeal.objects.filter(report=report, number=int(number)) \
            .select_related("certified_by").first()
    if seal is None:
        raise Http404
    seal.report = report
    return seal


def _seals(report: SectorReport) -> list[CertificationSeal]:
    """Every seal of the report, the latest first."""
    return list(CertificationSeal.objects.filter(report=report).select_related("certified_by").order_by("-number"))


def _may_reopen(user: User, report: SectorReport) -> bool:
    return edge_for(TransitionAction.REOPEN, report.status) is not None and policy.can(user, Action.REOPEN, report.lao)


# --- history ------------------------------------------------------------------------------------------------------

@dataclass
class HistoryEntry:
    """One line of the history: a transition (event) or a change of one value (change)."""

    kind: str
    at: datetime
    event: ReportEvent | None = None
    change: ValueChange | None = None
    label: str = ""
    old: str = ""
    new: str = ""
    unit: str = ""
    reasons: list[tuple[str, str]] = field(default_factory=list)


def _history_page(report: SectorReport, number: str | None) -> tuple[Page, list[HistoryEntry]]:
    page = Paginator(selectors.report_timeline(report), HISTORY_PAGE_SIZE).get_page(number)
    keys = list(page.object_list)
    events = ReportEvent.objects.select_related("actor").in_bulk(
        [ident for kind, _moment, ident in keys if kind == "event"])
    changes = ValueChange.objects.select_related("changed_by", "value__indicator").in_bulk(
        [ident for kind, _moment, ident in keys if kind == "change"])
    catalogue = catalogue_of(report) if any(event.field_reasons for event in events.values()) else {}
    order = {code: position for position, code in enumerate(catalogue)}
    entries = []
    for kind, moment, ident in keys:
        if kind == "event":
            event = events[ident]
            reasons = sorted(event.field_reasons.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
            entries.append(HistoryEntry(kind=kind, at=moment, event=event,
                                        reasons=[(label(code, catalogue), text) for code, text in reasons]))
        else:
            change = changes[ident]
            indicator = change.value.indicator
            entries.append(HistoryEntry(kind=kind, at=moment, change=change, label=indicator.display_name,
                                        unit=indicator.display_unit, old=readable(change.old, indicator),
                                        new=readable(change.new, indicator)))
    return page, entries


@login_required
@require_GET
def history(request: HttpRequest, report_id: int) -> HttpResponse:
    """Every transition and every value change of the report, newest first, for anyone who may see the LAO."""
    report = selectors.report_or_404(request.user, report_id)
    page, entries = _history_page(report, request.GET.get("page"))
    return render(request, "certification/history.html", {
        "report": report,
        "lao": report.lao,
        "page": page,
        "entries": entries,
        "seal": _current_seal(report),
        "seals": _seals(report),
        "may_reopen": _may_reopen(request.user, report),
    })


# --- certificate and seal check -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CertifiedRow:
    number: str
    section: str
    code: str
    label: str
    value: str
    numeric: bool
    unit: str
    reason: str


def _certified_rows(certified: dict[str, dict], catalogue: dict[str, Indicator], *, thai_digits: bool
                    ) -> list[CertifiedRow]:
    """The certified values in the catalogue's order (items no longer in it last), ready to print."""
    order = {code: position for position, code in enumerate(catalogue)}
    codes = sorted(certified, key=lambda code: (order.get(code, len(order)), code))
    rows = []
    for number, code in enumerate(codes, start=1):
        indicator = catalogue.get(code)
        raw = certified[code].get("value")
        rows.append(CertifiedRow(
            number=thai.thai_digits(number) if thai_digits else str(number),
            section=indicator.display_section if indicator else "", code=code, label=label(code, catalogue),
            value=readable(raw, indicator, thai_digits=thai_digits),
            numeric=is_number(raw, indicator),
            unit=indicator.display_unit if indicator else "", reason=certified[code].get("reason") or "",
        ))
    return rows


@login_required
@require_GET
def certificate(request: HttpRequest, report_id: int) -> HttpResponse:
    """The printable certificate of a seal (?n=, the current one by default): the certified values, who certified
    them, the live check, and for a re-certification the certification it replaces and the items changed since."""
    report = selectors.report_or_404(request.user, report_id)
    seal = _seal_or_404(request, report)
    digits = request.GET.get("digits") == "thai"
    certified = json.loads(seal.canonical)
    catalogue = catalogue_of(report)
    check = sealing.seal_check(seal)
    year = str(certified.get("fiscal_year", report.fiscal_year.be_year))
    lao_code = certified.get("lao", {}).get("dla_code") or ""
    previous = CertificationSeal.objects.filter(report=report, number=seal.number - 1).first() \
        if seal.number > 1 else None
    return render(request, "certification/certificate.html", {
        "report": report,
        "lao": report.lao,
        "seal": seal,
        "certified_lao_name": report.lao.display_name if is_english() else
        certified.get("lao", {}).get("name_th") or report.lao.name_th,
        "year": thai.thai_digits(year) if digits else year,
        "lao_code": thai.thai_digits(lao_code) if digits else lao_code,
        "check_url": request.build_absolute_uri(f"{reverse('certification:seal_check', args=[report.pk])}"
                                                f"?n={seal.number}"),
        "supersedes": previous,
        "changes": diff.snapshot_changes(diff.sealed_values(previous), certified.get("values", {}), catalogue)
        if previous is not None else [],
        "rows": _certified_rows(certified.get("values", {}), catalogue, thai_digits=digits),
        "check": check,
        "changed_labels": [label(code, catalogue) for code in check.changed_items],
        "checked_at": timezone.now(),
        "thai_digits": digits,
        "date_style": "thai" if digits else "",
    })


@dataclass(frozen=True)
class ChangedItem:
    code: str
    label: str
    certified: str
    current: str
    present: bool  # the value row still exists


@login_required
@require_GET
def seal_check(request: HttpRequest, report_id: int) -> HttpResponse:
    """The check of a seal (?n=, the current one by default): the stored and the recomputed SHA-256, and the items
    that no longer match. A superseded seal is recomputed from the values the reopen read from the rows."""
    report = selectors.report_or_404(request.user, report_id)
    seal = _seal_or_404(request, report)
    check = sealing.seal_check(seal)
    changed: list[ChangedItem] = []
    if check.changed_items:
        certified = json.loads(seal.canonical).get("values", {})
        if seal.superseded_at is None:
            checked = sealing.values_snapshot(sector_selectors.report_rows(report))
        else:
            checked = sealing.values_when_superseded(seal) or {}
        catalogue = catalogue_of(report)
        for code in check.changed_items:
            indicator = catalogue.get(code)
            changed.append(ChangedItem(
                code=code, label=label(code, catalogue),
                certified=readable(certified.get(code, {}).get("value"), indicator),
                current=readable(checked[code]["value"], indicator) if code in checked else "",
                present=code in checked,
            ))
    return render(request, "certification/seal_check.html", {
        "report": report,
        "lao": report.lao,
        "seal": seal,
        "check": check,
        "changed": changed,
        "checked_at": timezone.now(),
    })


# --- reopen -------------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, report_id: int) -> HttpResponse:
    """The province or the department reopens certified data with a reason; the LAO and the district may not."""
    report = selectors.report_or_404(request.user, report_id)
    if not policy.can(request.user, Action.REOPEN, report.lao):
        raise PermissionDenied
    form = ReopenForm(request.POST or None)
    refused = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.report_reopen(report_id=report.pk, actor=request.user, reason=form.cleaned_data["reason"])
        except services.TransitionRefused as error:
            refused = str(error)
            report.refresh_from_db(fields=["status"])
        else:
            messages.success(request, _("เปิดแก้ไขข้อมูลที่รับรองแล้ว ตราการรับรองเดิมถูกยกเลิก "
                                        "และผู้บันทึกข้อมูลแก้ไขข้อมูลได้อีกครั้ง"))
            return redirect("certification:history", report.pk)
    return render(request, "certification/reopen.html", {
        "report": report,
        "lao": report.lao,
        "form": form,
        "seal": _current_seal(report),
        "open_to_reopen": edge_for(TransitionAction.REOPEN, report.status) is not None,
        "refused": refused,
    }, status=409 if refused else 200)

"""Download a sector workbook, upload it back for a preview, and apply the previewed changes at once."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import policy
from accounts.policy import Action
from organizations.models import LAO
from sectors import excel
from sectors.models import FiscalYear

SESSION_KEY = "sectors_excel_uploads"
KEPT_UPLOADS = 3  # checked uploads waiting to be applied, per session


def _lao_to_record(request, lao_id: int) -> LAO:
    """404 for an LAO outside the user's scope, 403 for one they see but do not record."""
    lao = policy.lao_or_404(request.user, lao_id)
    if not policy.can(request.user, Action.RECORD, lao):
        raise PermissionDenied
    return lao


def _keep(request, data: dict) -> str:
    """Keep a checked upload in the session until it is applied; the oldest go first."""
    kept = request.session.get(SESSION_KEY, {})
    while len(kept) >= KEPT_UPLOADS:
        kept.pop(next(iter(kept)))
    token = secrets.token_urlsafe(16)
    kept[token] = data
    request.session[SESSION_KEY] = kept
    return token


def _take(request, token: str) -> dict | None:
    kept = request.session.get(SESSION_KEY, {})
    data = kept.pop(token, None) if isinstance(token, str) else None
    request.session[SESSION_KEY] = kept
    return data


@login_required
@require_GET
def workbook_download(request, lao_id: int, year: int):
    lao = policy.lao_or_404(request.user, lao_id)
    fiscal_year = get_object_or_404(FiscalYear, be_year=year)
    content = excel.workbook_export(lao=lao, fiscal_year=fiscal_year, user=request.user)
    return HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": content_disposition_header(True, excel.workbook_filename(lao, fiscal_year)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def workbook_upload(request, lao_id: int, year: int):
    lao = _lao_to_record(request, lao_id)
    fiscal_year = get_object_or_404(FiscalYear, be_year=year)
    context = {"lao": lao, "fiscal_year": fiscal_year, "max_bytes": settings.UPLOAD_MAX_BYTES, "error": ""}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("กรุณาเลือกไฟล์ Excel (.xlsx) ที่จะอัปโหลด")
        else:
            try:
                preview = excel.workbook_parse(lao=lao, fiscal_year=fiscal_year, user=request.user, file=upload)
            except excel.WorkbookRefused as refused:
                context["error"] = str(refused)
            else:
                token = _keep(request, preview.as_data()) if preview.can_apply else ""
                return render(request, "sectors/excel_preview.html", {**context, "preview": preview, "token": token})
    return render(request, "sectors/excel_upload.html", context)


@login_required
@require_POST
def workbook_apply(request, lao_id: int, year: int):
    lao = _lao_to_record(request, lao_id)
    fiscal_year = get_object_or_404(FiscalYear, be_year=year)
    data = _take(request, request.POST.get("token", ""))
    if data is None:
        messages.error(request, _("ไม่พบข้อมูลที่ตรวจแล้ว หรือบันทึกไปแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง"))
    else:
        try:
            result = excel.workbook_apply(lao=lao, fiscal_year=fiscal_year, data=data, user=request.user)
        except excel.WorkbookRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("บันทึกข้อมูลจากไฟล์ Excel แล้ว %(values)d รายการ ใน %(sectors)d ด้าน")
                             % {"values": result.values, "sectors": result.sectors})
            # Applied: back to the sector cards, where the new state of every sector shows.
            return redirect("sectors:lao_sectors", lao_id=lao.pk, year=fiscal_year.be_year)
    return redirect("sectors_excel:upload", lao_id=lao.pk, year=fiscal_year.be_year)

"""Applying a previewed upload: every changed sector saved in one transaction, or none."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from organizations.models import LAO
from sectors import selectors, services
from sectors.excel.layout import ApplyResult, WorkbookRefused
from sectors.excel.upload import _conflict, _not_editable
from sectors.models import (
    Channel,
    FiscalYear,
    Indicator,
    IndicatorKind,
    Sector,
)
from sectors.values import NOT_APPLICABLE


def _typed(indicator: Indicator, data: Any) -> Any:
    """The inverse of values.to_json for the item's kind."""
    if isinstance(data, dict) and data.get("not_applicable"):
        return NOT_APPLICABLE
    if data is None:
        return None
    if indicator.kind == IndicatorKind.INTEGER:
        return int(data)
    if indicator.kind == IndicatorKind.DECIMAL:
        return Decimal(str(data))
    if indicator.kind == IndicatorKind.YES_NO:
        return bool(data)
    return str(data)


@transaction.atomic
def workbook_apply(*, lao: LAO, fiscal_year: FiscalYear, data: dict, user: User) -> ApplyResult:
    """Save each changed sector of a checked upload (UploadPreview.as_data) through report_save with the version
    read at export; if any sector is refused (conflict, no longer a draft) nothing at all is saved."""
    if not policy.can(user, Action.RECORD, lao):
        raise PermissionDenied
    if data.get("lao") != lao.pk or data.get("year") != fiscal_year.be_year:
        raise WorkbookRefused(_("ข้อมูลที่ตรวจแล้วไม่ใช่ของ อปท. หรือปีงบประมาณนี้ กรุณาอัปโหลดไฟล์อีกครั้ง"))
    sectors = {s.code: s for s in Sector.objects.all()}
    with translation.override("th"):
        for entry in data.get("sectors", []):
            sector = sectors[entry["sector"]]
            report = services.report_open(lao=lao, sector=sector, fiscal_year=fiscal_year)
            indicators = {i.code: i for i in selectors.indicators_for(report)}
            try:
                services.report_save(
                    report_id=report.pk, user=user, expected_version=entry["version"] or 0,
                    new_values={c: _typed(indicators[c], v) for c, v in entry["values"].items() if c in indicators},
                    reasons=entry["reasons"], channel=Channel.EXCEL,
                )
            except services.ReportConflict as conflict:
                raise WorkbookRefused(_conflict(sector, conflict.changed_by, conflict.changed_at)) from conflict
            except services.ReportNotEditable as refused:
                report.refresh_from_db()
                raise WorkbookRefused(_not_editable(report)) from refused
    return ApplyResult(sectors=len(data.get("sectors", [])),
                       values=sum(len(entry["values"]) for entry in data.get("sectors", [])))

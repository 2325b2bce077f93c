"""Writing the workbook: a locked sheet per sector, prefilled, with each report's version."""

import io
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from info_portal.text import cell_value
from info_portal.thai import thai_date
from organizations.models import LAO
from sectors import selectors, values
from sectors.excel.layout import (
    APPLIES_NOT,
    CODE,
    EDITABLE_COLUMNS,
    FORMAT,
    HEADER_ROW,
    LABEL,
    LAST_YEAR,
    LISTS_SHEET,
    META_SHEET,
    NO,
    NOT_APPLICABLE_FLAG,
    NOTES_SHEET,
    REASON,
    UNIT,
    VALUE,
    YES,
    _columns,
)
from sectors.formatting import format_value
from sectors.models import (
    FiscalYear,
    IndicatorKind,
    ReportStatus,
    Sector,
    SectorReport,
)
from sectors.values import NOT_APPLICABLE


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; control characters go."""
    return cell_value(value) if isinstance(value, str) else value


def _put(sheet, row: int, column: int, value: Any):
    cell = sheet.cell(row=row, column=column + 1, value=_safe(value))
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    return cell


def _cell_value(typed: Any) -> Any:
    if typed is None or typed == NOT_APPLICABLE:
        return None
    if isinstance(typed, bool):
        return YES if typed else NO
    return typed


def _last_year_cell(typed: Any) -> Any:
    """Numbers stay numbers; anything else is shown as the portal shows it."""
    if isinstance(typed, int | Decimal) and not isinstance(typed, bool):
        return typed
    return format_value(typed) or None


def _sheet_names(sectors: list[Sector]) -> dict[str, str]:
    """Each sector's sheet: its Thai name cut to Excel's 31 characters, without the characters Excel forbids."""
    names, taken = {}, {NOTES_SHEET.lower(), META_SHEET.lower(), LISTS_SHEET.lower()}
    for sector in sectors:
        base = "".join(ch for ch in sector.name_th if ch not in "[]:*?/\\").strip("' ") or sector.code
        name, number = base[:31], 1
        while name.lower() in taken:
            number += 1
            name = f"{base[:31 - len(str(number)) - 3]} ({number})"
        taken.add(name.lower())
        names[sector.code] = name
    return names


def _report_of(lao: LAO, sector: Sector, fiscal_year: FiscalYear) -> SectorReport:
    """The stored report, or an unsaved draft that reads as the one report_open would create."""
    report = SectorReport.objects.filter(lao=lao, sector=sector, fiscal_year=fiscal_year) \
        .select_related("updated_by").first()
    return report or SectorReport(lao=lao, sector=sector, fiscal_year=fiscal_year)


def _current(report: SectorReport) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values and reasons by item code; a report not opened yet holds last year's certified values."""
    if report.pk is None:
        return selectors.previous_certified_values(report), {}
    rows = selectors.report_rows(report)
    return {code: values.read(row) for code, row in rows.items()}, {c: r.change_reason for c, r in rows.items()}


class _Lists:
    """A hidden sheet holding each choice item's list, so the lists may be long and contain commas."""

    def __init__(self, workbook: Workbook):
        self.workbook, self.sheet, self.column = workbook, None, 0

    def range_for(self, choices: list[str]) -> str:
        if self.sheet is None:
            self.sheet = self.workbook.create_sheet(LISTS_SHEET)
            self.sheet.sheet_state = "hidden"
        self.column += 1
        for row, choice in enumerate(choices, start=1):
            _put(self.sheet, row, self.column - 1, choice)
        letter = self.sheet.cell(row=1, column=self.column).column_letter
        return f"'{LISTS_SHEET}'!${letter}$1:${letter}${max(len(choices), 1)}"


def _validation(sheet, *, formula: str | None, prompt: str, error: str = "") -> DataValidation:
    rule = DataValidation(type="list" if formula else None, formula1=formula, allow_blank=True,
                          showInputMessage=True, prompt=prompt[:250], showErrorMessage=bool(formula),
                          errorTitle=_("ค่าไม่ถูกต้อง")[:32] if formula else None, error=error[:220] or None)
    sheet.add_data_validation(rule)
    return rule


def _sector_sheet(workbook, lists: _Lists, *, name: str, report: SectorReport, editable: bool) -> None:
    sheet = workbook.create_sheet(name)
    lao, sector = report.lao, report.sector
    _put(sheet, 1, 0, f"{sector.name_th} · {lao.name_th} · {report.fiscal_year}").font = Font(bold=True, size=14)
    status = ReportStatus(report.status).label
    _put(sheet, 2, 0, _("สถานะ: %(status)s") % {"status": status} if editable else
         _("สถานะ: %(status)s (แก้ไขในไฟล์นี้ไม่ได้)") % {"status": status})
    fill = PatternFill("solid", fgColor="E8EEF7")
    for column, header in enumerate(_columns()):
        cell = _put(sheet, HEADER_ROW, column, header)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFG", (30, 50, 14, 16, 24, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)

    current, reasons = _current(report)
    last_year = selectors.previous_certified_values(report)
    flag = _validation(sheet, formula=f'"{APPLIES_NOT}"',
                       prompt=_("ใส่ “ใช่” เมื่อรายการนี้ไม่เกี่ยวข้องกับ อปท. และเว้นช่องค่าว่างไว้"),
                       error=_("ใส่ได้เฉพาะ “ใช่” หรือเว้นว่าง"))
    prompts = {
        IndicatorKind.INTEGER: _validation(sheet, formula=None, prompt=_("จำนวนเต็ม ไม่มีทศนิยม")),
        IndicatorKind.DECIMAL: _validation(sheet, formula=None, prompt=_("ตัวเลข มีทศนิยมได้ไม่เกิน 4 ตำแหน่ง")),
        IndicatorKind.TEXT: _validation(sheet, formula=None, prompt=_("ข้อความ")),
        IndicatorKind.YES_NO: _validation(sheet, formula=f'"{YES},{NO}"', prompt=_("เลือก “มี” หรือ “ไม่มี”"),
                                          error=_("เลือกได้เฉพาะ “มี” หรือ “ไม่มี”")),
    }
    for row, indicator in enumerate(selectors.indicators_for(report), start=HEADER_ROW + 1):
        typed = current.get(indicator.code)
        label = f"{indicator.label_th} *" if indicator.required else indicator.label_th
        for column, value in ((CODE, indicator.code), (LABEL, label), (UNIT, indicator.unit),
                              (LAST_YEAR, _last_year_cell(last_year.get(indicator.code))),
                              (VALUE, _cell_value(typed)),
                              (NOT_APPLICABLE_FLAG, APPLIES_NOT if typed == NOT_APPLICABLE else None),
                              (REASON, reasons.get(indicator.code) or None)):
            cell = _put(sheet, row, column, value)
            cell.alignment = Alignment(wrap_text=column in (LABEL, REASON), vertical="top")
            if column in EDITABLE_COLUMNS and editable:
                cell.protection = Protection(locked=False)
        value_cell = sheet.cell(row=row, column=VALUE + 1)
        if indicator.kind in (IndicatorKind.TEXT, IndicatorKind.CHOICE):
            value_cell.number_format = "@"
        if indicator.kind == IndicatorKind.CHOICE:
            _validation(sheet, formula=lists.range_for(indicator.choices), prompt=_("เลือกจากรายการ"),
                        error=_("เลือกได้เฉพาะค่าในรายการ")).add(value_cell)
        else:
            prompts[indicator.kind].add(value_cell)
        flag.add(sheet.cell(row=row, column=NOT_APPLICABLE_FLAG + 1))
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False


def _notes(sheet, lao: LAO, fiscal_year: FiscalYear, may_record: bool) -> None:
    lines = [
        _("แบบบันทึกข้อมูล %(lao)s %(year)s") % {"lao": lao.name_th, "year": fiscal_year},
        _("ดาวน์โหลดเมื่อ %(date)s") % {"date": thai_date(timezone.localdate())},
        "",
        _("แต่ละแผ่นงานคือข้อมูลหนึ่งด้าน กรอกได้เฉพาะคอลัมน์ “ค่า” “ไม่เกี่ยวข้อง” และ “เหตุผลที่เปลี่ยนแปลงมาก” "
          "คอลัมน์อื่นล็อกไว้"),
        _("ตัวเลข: ใช้เลขอารบิกหรือเลขไทยก็ได้ มีจุลภาคคั่นหลักพันได้ ห้ามใส่หน่วย ค่าต้องไม่ติดลบ"),
        _("มี/ไม่มี และรายการที่มีตัวเลือก: เลือกจากรายการในช่อง"),
        _("ไม่เกี่ยวข้อง: ใส่ “ใช่” เมื่อรายการนั้นไม่เกี่ยวข้องกับ อปท. และเว้นช่อง “ค่า” ว่างไว้"),
        _("เหตุผลที่เปลี่ยนแปลงมาก: ระบุเมื่อค่าต่างจากค่าปีก่อนเกิน 50%"),
        _("รายการที่มีเครื่องหมาย * ต้องกรอกก่อนส่งตรวจสอบ ช่องที่ลบค่าออกจะบันทึกเป็นค่าว่าง"),
        _("อัปโหลดไฟล์กลับที่หน้า “บันทึกข้อมูลด้วยไฟล์ Excel” ระบบจะแสดงรายการที่เปลี่ยนแปลงให้ตรวจก่อนบันทึก "
          "หากมีช่องใดไม่ถูกต้อง จะไม่บันทึกข้อมูลใดเลย"),
        _("หากมีผู้บันทึกข้อมูลด้านเดียวกันหลังจากดาวน์โหลดไฟล์นี้ ระบบจะไม่รับไฟล์ กรุณาดาวน์โหลดใหม่"),
        _("ห้ามเปลี่ยนชื่อ ลบ หรือเพิ่มแผ่นงาน"),
    ]
    if not may_record:
        lines.insert(2, _("ไฟล์นี้สำหรับดูข้อมูลเท่านั้น คุณไม่มีสิทธิ์บันทึกข้อมูลของ อปท. นี้"))
    sheet.column_dimensions["A"].width = 120
    for row, line in enumerate(lines, start=1):
        _put(sheet, row, 0, line).alignment = Alignment(wrap_text=True)
    sheet["A1"].font = Font(bold=True, size=14)


def workbook_export(*, lao: LAO, fiscal_year: FiscalYear, user: User) -> bytes:
    """The LAO's workbook of the year, for anyone who may see the LAO; editable cells only for its recorders."""
    if not policy.can(user, Action.SEE, lao):
        raise PermissionDenied
    may_record = policy.can(user, Action.RECORD, lao)
    sectors = list(Sector.objects.order_by("order"))
    names = _sheet_names(sectors)
    with translation.override("th"):
        workbook = Workbook()
        _notes(workbook.active, lao, fiscal_year, may_record)
        workbook.active.title = NOTES_SHEET
        lists = _Lists(workbook)
        meta_rows = []
        for sector in sectors:
            report = _report_of(lao, sector, fiscal_year)
            _sector_sheet(workbook, lists, name=names[sector.code], report=report,
                          editable=may_record and report.is_editable)
            meta_rows.append([sector.code, names[sector.code], report.pk and report.version])
        if lists.sheet is not None:
            workbook.move_sheet(lists.sheet, offset=len(workbook.sheetnames) - 1 - workbook.index(lists.sheet))
        meta = workbook.create_sheet(META_SHEET)
        meta.sheet_state = "veryHidden"
        for row in [["format", FORMAT], ["lao", lao.pk], ["dla_code", lao.dla_code or ""],
                    ["fiscal_year", fiscal_year.be_year], ["exported_at", timezone.now().isoformat()],
                    ["sector", "sheet", "version"], *meta_rows]:
            meta.append([_safe(v) for v in row])
        meta.protection.sheet = True
        workbook.security = WorkbookProtection(lockStructure=True)
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()

"""Reading an uploaded workbook into a preview of its changes, refusing bad files before parsing."""

import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from info_portal import uploads
from info_portal.thai import local_datetime
from organizations.models import LAO
from sectors import selectors, values
from sectors.checks import check_values
from sectors.excel.export import (
    _current,
    _report_of,
    _sheet_names,
)
from sectors.excel.layout import (
    APPLIES_NOT,
    CODE,
    COLUMN_INDEXES,
    EDITABLE_COLUMNS,
    FORMAT,
    FORMULA_TRIGGERS,
    HEADER_ROW,
    MAX_ITEM_ROWS,
    META_SHEET,
    NOT_APPLICABLE_FLAG,
    REASON,
    VALUE,
    CellError,
    ItemChange,
    SectorChanges,
    UploadPreview,
    WorkbookRefused,
    _columns,
)
from sectors.forms import TEXT_MAX_LENGTH
from sectors.models import (
    FiscalYear,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    ReportStatus,
    Sector,
    SectorReport,
)
from sectors.parsing import normal_text, parse_value
from sectors.values import NOT_APPLICABLE


def _read_upload(file) -> bytes:
    """The upload's bytes if it is an .xlsx package of sane size; WorkbookRefused otherwise, before any parsing."""
    if not str(getattr(file, "name", "") or "").lower().endswith(".xlsx"):
        raise WorkbookRefused(_("รับเฉพาะไฟล์ Excel นามสกุล .xlsx ที่ดาวน์โหลดจากระบบ"))
    try:
        data = uploads.read_limited(file)
        uploads.check_xlsx(data)
    except uploads.UploadRefused as refused:
        raise WorkbookRefused(str(refused)) from None
    return data


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _read_meta(workbook) -> tuple[dict[str, Any], dict[str, tuple[str, int | None]]]:
    """The hidden sheet: the file's LAO and year, and each sector's sheet and version at export."""
    if META_SHEET not in workbook.sheetnames:
        raise WorkbookRefused(_("ไฟล์นี้ไม่ใช่แบบบันทึกข้อมูลที่ดาวน์โหลดจากระบบ กรุณาดาวน์โหลดไฟล์จากหน้านี้"))
    rows = [tuple(r) + (None,) * 3 for r in workbook[META_SHEET].iter_rows(max_row=60, max_col=3, values_only=True)]
    head = {str(r[0]): r[1] for r in rows[:5] if r[0] is not None}
    if head.get("format") != FORMAT:
        raise WorkbookRefused(_("ไฟล์นี้ไม่ใช่แบบบันทึกข้อมูลที่ดาวน์โหลดจากระบบ กรุณาดาวน์โหลดไฟล์จากหน้านี้"))
    sectors = {str(r[0]): (str(r[1] or ""), _int_or_none(r[2])) for r in rows[6:] if r[0] is not None}
    return head, sectors


def _text_cell(raw: Any) -> Any:
    """Undo the apostrophe the export puts before text that would be a formula."""
    if isinstance(raw, str) and raw.startswith("'") and raw[1:].startswith(FORMULA_TRIGGERS):
        return raw[1:]
    return raw


def _flag(raw: Any) -> bool:
    word = normal_text(raw).lower()
    if word in ("", "ไม่ใช่", "no", "false", "0"):
        return False
    if word in (APPLIES_NOT, "yes", "true", "1", "✓", "x"):
        return True
    raise ValidationError(_("ใส่ได้เฉพาะ “ใช่” หรือเว้นว่าง"))


def _reason(raw: Any) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", str(_text_cell(raw))).strip() if raw is not None else ""
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(_("ข้อความยาวได้ไม่เกิน %(max)s ตัวอักษร") % {"max": f"{TEXT_MAX_LENGTH:,}"})
    return text


def _parse_item(indicator: Indicator, cells: tuple) -> tuple[tuple[Any, str] | None, list[tuple[int, str]]]:
    """The row's typed value and reason, or None and a (column, Thai message) for each bad cell."""
    raw = cells[VALUE]
    if indicator.kind in (IndicatorKind.TEXT, IndicatorKind.CHOICE):
        raw = _text_cell(raw)
    parsers = {VALUE: lambda: parse_value(indicator, raw),
               NOT_APPLICABLE_FLAG: lambda: _flag(cells[NOT_APPLICABLE_FLAG]),
               REASON: lambda: _reason(cells[REASON])}
    parsed, problems = {}, []
    for column, parse in parsers.items():
        try:
            parsed[column] = parse()
        except ValidationError as error:
            problems += [(column, message) for message in error.messages]
    if problems:
        return None, problems
    typed, flagged = parsed[VALUE], parsed[NOT_APPLICABLE_FLAG]
    if flagged and typed is not None:
        return None, [(VALUE, _("กรอกค่าแล้วจะระบุว่าไม่เกี่ยวข้องไม่ได้ ให้ลบค่าหรือลบคำว่า “ใช่” อย่างใดอย่างหนึ่ง"))]
    return (NOT_APPLICABLE if flagged else typed, parsed[REASON]), []


def _parse_sheet(sheet, report: SectorReport, changes: SectorChanges, errors: list[CellError]) -> None:
    """Compare every row of a sector's sheet with the stored report, collecting changes and bad cells."""
    def problem(row: int | None, column: str, message: str, item: str = "") -> None:
        errors.append(CellError(changes.sheet, row, column, message, item))

    indicators = {i.code: i for i in selectors.indicators_for(report)}
    current, reasons = _current(report)
    sheet.reset_dimensions()  # some writers record wrong dimensions; read the cells there are
    seen: dict[str, int] = {}
    rows = sheet.iter_rows(min_row=HEADER_ROW, max_col=len(COLUMN_INDEXES), values_only=True)
    for line, cells in enumerate(rows, start=HEADER_ROW):
        cells = (tuple(cells) + (None,) * len(COLUMN_INDEXES))[:len(COLUMN_INDEXES)]
        if line == HEADER_ROW:
            if [normal_text(c) for c in cells] != _columns():
                problem(line, "", _("หัวตารางไม่ตรงกับแบบฟอร์ม กรุณาใช้ไฟล์ที่ดาวน์โหลดจากระบบโดยไม่แก้ไขหัวตาราง"))
                return
            continue
        if line > HEADER_ROW + MAX_ITEM_ROWS:
            problem(line, "", _("แผ่นงานมีแถวเกิน %(max)s แถว") % {"max": f"{MAX_ITEM_ROWS:,}"})
            return
        code = normal_text(_text_cell(cells[CODE]))
        if not code:
            if any(normal_text(cells[c]) for c in EDITABLE_COLUMNS):
                problem(line, _columns()[CODE], _("แถวนี้ไม่มีรหัสรายการ"))
            continue
        indicator = indicators.get(code)
        if indicator is None:
            problem(line, _columns()[CODE], _("ไม่รู้จักรหัสรายการ “%(code)s” ในด้านนี้") % {"code": code[:60]})
            continue
        if code in seen:
            problem(line, _columns()[CODE], _("รหัสรายการ %(code)s ซ้ำกับแถวที่ %(line)d") % {
                "code": code, "line": seen[code]})
            continue
        seen[code] = line
        parsed, problems = _parse_item(indicator, cells)
        for column, message in problems:
            problem(line, _columns()[column], message, indicator.display_name)
        if parsed is None:
            continue
        typed, reason = parsed
        old, old_reason = current.get(code), (reasons.get(code) or "").strip()
        if not values.same(old, typed) or reason != old_reason:
            changes.changes.append(ItemChange(code, indicator.display_name, indicator.display_unit, old, typed, reason,
                                              value_changed=not values.same(old, typed)))
    if changes.changes and not report.is_editable:
        problem(None, "", _not_editable(report))
    elif changes.changes and (report.version if report.pk else 0) != (changes.version or 0):
        problem(None, "", _conflict(report.sector, report.updated_by, report.updated_at))


def _not_editable(report: SectorReport) -> str:
    return _("ด้าน%(sector)s อยู่ในสถานะ “%(status)s” แก้ไขไม่ได้") % {
        "sector": report.sector.display_name.removeprefix("ด้าน"), "status": ReportStatus(report.status).label}


def _conflict(sector: Sector, who: User | None, when) -> str:
    moment = timezone.localtime(when) if when else None
    return _("มีผู้บันทึกข้อมูลด้าน%(sector)s หลังจากดาวน์โหลดไฟล์นี้ (%(who)s เมื่อ %(when)s) จึงไม่บันทึกข้อมูลใดจากไฟล์ "
             "กรุณาดาวน์โหลดไฟล์ใหม่แล้วกรอกอีกครั้ง") % {
        "sector": sector.display_name.removeprefix("ด้าน"), "who": who or _("ผู้ใช้อื่น"),
        "when": local_datetime(moment) if moment else "-"}


def _check_changes(preview: UploadPreview, reports: dict[str, SectorReport]) -> None:
    """The catalogue's checks on each changed sector as it would be after the change, across all sectors."""
    stored = IndicatorValue.objects.filter(report__lao=preview.lao, report__fiscal_year=preview.fiscal_year) \
        .select_related("indicator")
    everything = {row.indicator.code: values.read(row) for row in stored}
    everything.update({c.code: c.new for s in preview.changed_sectors for c in s.changes})
    rules = selectors.catalogue_of(preview.fiscal_year).rules
    for changes in preview.changed_sectors:
        report = reports[changes.sector.code]
        current, reasons = _current(report)
        changes.checks = check_values(
            indicators=selectors.indicators_for(report),
            values={**current, **{c.code: c.new for c in changes.changes}},
            other_sector_values=everything, rules=rules,
            last_year=selectors.previous_certified_values(report),
            reasons={**reasons, **{c.code: c.reason for c in changes.changes}},
            lao_type=preview.lao.lao_type, for_submit=False,
        )


def workbook_parse(*, lao: LAO, fiscal_year: FiscalYear, user: User, file) -> UploadPreview:
    """What the uploaded workbook would change, with every bad cell; writes nothing. Recorders of the LAO only."""
    if not policy.can(user, Action.RECORD, lao):
        raise PermissionDenied
    data = _read_upload(file)
    preview = UploadPreview(lao=lao, fiscal_year=fiscal_year)
    with translation.override("th"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # a damaged package can fail anywhere inside openpyxl
            raise WorkbookRefused(_("อ่านไฟล์ไม่ได้ ไฟล์อาจเสียหาย กรุณาดาวน์โหลดไฟล์ใหม่แล้วลองอีกครั้ง")) from error
        try:
            _parse_workbook(workbook, preview)
            preview.errors += _uncomputed_formulas(data, workbook)
        except WorkbookRefused:
            raise
        except Exception as error:  # a damaged sheet can fail while it is streamed, too
            raise WorkbookRefused(_("อ่านไฟล์ไม่ได้ ไฟล์อาจเสียหาย กรุณาดาวน์โหลดไฟล์ใหม่แล้วลองอีกครั้ง")) from error
        finally:
            workbook.close()
    return preview


def _uncomputed_formulas(data: bytes, workbook) -> list[CellError]:
    """Each editable cell that holds a formula without the value it computed (a file written by a program that
    does not calculate): refused by name, never read as an empty cell."""
    formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    errors = []
    try:
        for name in workbook.sheetnames:
            if name == META_SHEET or name not in formulas.sheetnames:
                continue
            pairs = zip(formulas[name].iter_rows(min_row=HEADER_ROW + 1, max_col=len(COLUMN_INDEXES)),
                        workbook[name].iter_rows(min_row=HEADER_ROW + 1, max_col=len(COLUMN_INDEXES)), strict=False)
            for formula_row, value_row in pairs:
                for column, (formula, value) in enumerate(zip(formula_row, value_row, strict=False)):
                    if column in EDITABLE_COLUMNS and getattr(formula, "data_type", "") == "f" \
                            and getattr(value, "value", None) is None:
                        errors.append(CellError(name, formula.row, _columns()[column], _(
                            "เซลล์ %(cell)s เป็นสูตรที่ไม่มีค่าที่คำนวณไว้ กรุณาพิมพ์ค่าแทนสูตร หรือเปิดไฟล์ใน Excel "
                            "แล้วบันทึกอีกครั้ง") % {"cell": formula.coordinate}))
    finally:
        formulas.close()
    return errors


def _parse_workbook(workbook, preview: UploadPreview) -> None:
    head, exported = _read_meta(workbook)
    lao, fiscal_year = preview.lao, preview.fiscal_year
    if _int_or_none(head.get("lao")) != lao.pk:
        preview.errors.append(CellError(META_SHEET, 2, "", _("ไฟล์นี้เป็นข้อมูลของ อปท. อื่น (รหัส %(code)s) ไม่ใช่ "
                                                           "%(lao)s") % {"code": head.get("dla_code") or "-",
                                                                         "lao": lao.display_name}))
    if _int_or_none(head.get("fiscal_year")) != fiscal_year.be_year:
        preview.errors.append(CellError(META_SHEET, 4, "", _("ไฟล์นี้เป็นข้อมูลปีงบประมาณ %(file)s ไม่ใช่ %(year)s")
                                        % {"file": head.get("fiscal_year") or "-", "year": fiscal_year.be_year}))
    if preview.errors:
        return
    sectors = list(Sector.objects.order_by("order"))
    names = _sheet_names(sectors)
    reports = {}
    for sector in sectors:
        sheet_name, version = exported.get(sector.code, (names[sector.code], None))
        if sector.code not in exported or sheet_name not in workbook.sheetnames:
            preview.errors.append(CellError(sheet_name, None, "", _("ไม่พบแผ่นงาน “%(sheet)s” ของด้าน%(sector)s")
                                            % {"sheet": sheet_name, "sector": sector.display_name.removeprefix("ด้าน")}))
            continue
        reports[sector.code] = report = _report_of(lao, sector, fiscal_year)
        changes = SectorChanges(sector=sector, sheet=sheet_name, version=version)
        _parse_sheet(workbook[sheet_name], report, changes, preview.errors)
        preview.sectors.append(changes)
    if not preview.errors:
        _check_changes(preview, reports)

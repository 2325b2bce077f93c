"""Excel and CSV downloads: the laggard list and the certified values."""

import csv
import io
from collections.abc import Iterator

import xlsxwriter
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.policy import LAO_ROLES
from dashboards.charts import STATE_COLOURS
from dashboards.exports.cells import safe, safe_text
from dashboards.exports.plain_rows import PlainRowsWorksheet
from dashboards.selectors.certified import GroupBy, ValueTable
from dashboards.selectors.funnel import STATE_LABELS
from dashboards.selectors.laggards import LAGGARD_LABELS, REOPENED, LaggardList
from dashboards.selectors.scope import Scope
from info_portal.thai import thai_date
from sectors.models import IndicatorKind

HEADING = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADING_FILL = PatternFill("solid", fgColor="E8EEF7")


def laggard_title(laggards: LaggardList, *, digits: bool = False) -> str:
    return _("รายชื่อ อปท. ที่ยังไม่ดำเนินการ ณ วันที่ %(date)s") % {
        "date": thai_date(laggards.as_of, digits=digits)}


def laggard_subtitle(laggards: LaggardList) -> str:
    scope = laggards.scope
    text = _("การบันทึกและรับรองข้อมูลพื้นฐาน %(sectors)s ด้าน %(year)s %(scope)s") % {
        "sectors": len(laggards.sectors), "year": scope.fiscal_year.dates.label, "scope": scope.label}
    if scope.lao_type:
        text += " " + _("เฉพาะ%(type)s") % {"type": scope.lao_type_label}
    return text


def laggard_summary(laggards: LaggardList) -> str:
    return _("ยังไม่รับรองครบทุกด้าน %(late)s แห่ง จากทั้งหมด %(total)s แห่ง") % {
        "late": f"{len(laggards.rows):,}", "total": f"{laggards.laos_total:,}"}


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _append(sheet, values: list) -> None:
    sheet.append([safe(value) for value in values])


def _laggard_lines(laggards: LaggardList) -> Iterator[list]:
    """Each LAO's cells after its number, made safe: the texts that repeat (states, types, districts, provinces)
    once each, and a cell with nothing to show left empty."""
    labels = {state: safe(str(label)) for state, label in LAGGARD_LABELS.items()}
    places: dict[tuple[str, int | None], str] = {}
    types: dict[str, str] = {}
    for row in laggards.rows:
        lao = row.lao
        if lao.lao_type not in types:
            types[lao.lao_type] = safe(str(lao.get_lao_type_display()))
        if ("district", lao.district_id) not in places:
            places["district", lao.district_id] = safe(lao.district.name_th) if lao.district else ""
        if ("province", lao.province_id) not in places:
            places["province", lao.province_id] = safe(lao.province.name_th)
        values = [safe(lao.dla_code or ""), safe(lao.name_th), types[lao.lao_type],
                  places["district", lao.district_id], places["province", lao.province_id],
                  *[labels[state] for state in row.states], row.certified]
        for role in LAO_ROLES:
            people = [c for c in row.contacts if c.role == role]
            values += [safe(", ".join(c.name for c in people)),
                       safe(", ".join(c.position for c in people if c.position)),
                       safe(", ".join(c.phone for c in people if c.phone)),
                       safe(", ".join(c.email for c in people if c.email))]
        yield values


def laggards_xlsx(laggards: LaggardList) -> bytes:
    """One sheet: the title lines, then one row per LAO with its state per sector and its contacts. The nation's
    list has some 170,000 cells: XlsxWriter writes the sheet with its reading of strings as formulas, links or
    numbers off, the LAOs' rows as one block of plain rows (plain_rows), every text as text, and `safe` still
    neutralises what looks like a formula."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    sheet = book.add_worksheet(_("ยังไม่ดำเนินการ"), worksheet_class=PlainRowsWorksheet)
    widths = [6, 10, 34, 22, 16, 14] + [14] * len(laggards.sectors) + [10] + [22, 18, 14, 26] * len(LAO_ROLES)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    heading_row = 4  # zero-based: the fifth row
    sheet.freeze_panes(heading_row + 1, 3)
    sheet.write_string(0, 0, safe(laggard_title(laggards)), book.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(1, 0, safe(laggard_subtitle(laggards)))
    sheet.write_string(2, 0, safe(laggard_summary(laggards)))
    heading = [_("ที่"), _("รหัส อปท."), _("ชื่อ อปท."), _("ประเภท"), _("อำเภอ"), _("จังหวัด")]
    heading += [f"{sector.order}. {sector.name_th}" for sector in laggards.sectors]
    heading += [_("รับรองแล้ว (ด้าน)")]
    for role in LAO_ROLES:
        heading += [role.label, _("ตำแหน่ง"), _("โทรศัพท์"), _("อีเมล")]
    heading_format = book.add_format({"bold": True, "bg_color": "#E8EEF7", "text_wrap": True, "valign": "top"})
    for column, text in enumerate(heading):
        sheet.write_string(heading_row, column, safe(text), heading_format)
    # Colour the states by rule rather than cell by cell: one rule per state for the whole block.
    first_row, last_row = heading_row + 1, heading_row + max(len(laggards.rows), 1)
    for state, colour in STATE_COLOURS.items():
        style = {"bg_color": colour}
        if state in ("verified", "certified"):
            style["font_color"] = "#FFFFFF"
        sheet.conditional_format(first_row, 6, last_row, 5 + len(laggards.sectors), {
            "type": "cell", "criteria": "==", "value": f'"{STATE_LABELS[state]}"', "format": book.add_format(style)})
    sheet.conditional_format(first_row, 6, last_row, 5 + len(laggards.sectors), {
        "type": "cell", "criteria": "==", "value": f'"{LAGGARD_LABELS[REOPENED]}"',
        "format": book.add_format({"bg_color": STATE_COLOURS["returned"]})})
    sheet.plain_rows(heading_row + 1, ([number, *values]
                                       for number, values in enumerate(_laggard_lines(laggards), start=1)))
    book.close()
    return buffer.getvalue()


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _value_heading(table: ValueTable) -> list[str]:
    heading = [_("รหัส"), table.group_label]
    if table.group_by == GroupBy.DISTRICT:
        heading.append(_("จังหวัด"))
    unit = f" ({table.indicator.unit})" if table.indicator.unit else ""
    return [*heading, _("จำนวน อปท. ที่รับรองแล้ว"), _("ผลรวม") + unit, _("ค่าเฉลี่ยต่อ อปท.") + unit]


def _value_rows(table: ValueTable) -> list[list]:
    rows = []
    for row in [*table.rows, table.overall]:
        values = [row.code, row.label]
        if table.group_by == GroupBy.DISTRICT:
            values.append(row.parent)
        rows.append([*values, row.laos, row.total, row.average])
    return rows


def value_title(table: ValueTable, scope: Scope) -> str:
    return _("%(item)s แยกตาม%(group)s %(year)s %(scope)s (เฉพาะข้อมูลที่รับรองแล้ว)") % {
        "item": table.indicator.label_th, "group": table.group_label, "year": scope.fiscal_year.dates.label,
        "scope": scope.label}


def values_csv(table: ValueTable, scope: Scope) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Thai text as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_text(value_title(table, scope))])
    writer.writerow([safe_text(value) for value in _value_heading(table)])
    for values in _value_rows(table):
        writer.writerow([safe_text(value) for value in values])
    return buffer.getvalue().encode("utf-8-sig")


def values_xlsx(table: ValueTable, scope: Scope) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("ข้อมูลที่รับรองแล้ว")
    _append(sheet, [value_title(table, scope)])
    sheet["A1"].font = TITLE
    _append(sheet, _value_heading(table))
    for cell in sheet[2]:
        cell.font, cell.fill = HEADING, HEADING_FILL
    for values in _value_rows(table):
        _append(sheet, values)
    for cell in sheet[sheet.max_row]:
        cell.font = HEADING
    sum_format = "#,##0" if table.indicator.kind == IndicatorKind.INTEGER else "#,##0.00"
    for total, average in sheet.iter_rows(min_row=3, min_col=sheet.max_column - 1, max_col=sheet.max_column):
        total.number_format, average.number_format = sum_format, "#,##0.00"
    sheet.freeze_panes = "A3"
    _widths(sheet, [10, 30] + ([20] if table.group_by == GroupBy.DISTRICT else []) + [16, 20, 20])
    return _save(book)

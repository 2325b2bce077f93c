"""The laggard list, its Excel and PDF, and the certified values as CSV and Excel: contents and formula safety."""

import csv
import io
import shutil
import subprocess
import unicodedata
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accounts.models import User
from dashboards import exports
from dashboards.exports.cells import safe, safe_text
from dashboards.selectors import Aggregate, GroupBy, Level, certified_values, laggards_of, scope_for
from sectors.models import Indicator, IndicatorValue
from tests.dashboards.conftest import TODAY

FORMULAS = ["=1+2", "+66 81", "-1", "@SUM(A1)", "=HYPERLINK(\"http://x\")"]


def province_laggards(user, fiscal_year, **kwargs):
    return laggards_of(scope_for(user, level=Level.PROVINCE, code="30", fiscal_year=fiscal_year, **kwargs),
                       today=TODAY)


def test_every_lao_not_yet_certified_with_its_sectors_and_contacts(round_, provincial_officer, world):
    report = province_laggards(provincial_officer, round_.fiscal_year)
    assert report.laos_total == 4
    # the PAO (no district) first, then by district code; the complete SAO is not a laggard
    assert [row.lao for row in report.rows] == [world.pao_a, world.lao_a2, world.lao_a1]
    pao, a2, a1 = report.rows
    assert a1.states == ["returned", "draft", "not_started", "submitted", "verified", "certified", "not_started",
                         "not_started"]
    assert (a1.certified, a1.not_started) == (1, 3)
    assert [(c.role.value, c.name, c.phone) for c in a1.contacts] == [
        ("recorder", "a1.recorder", "0-4400-0000"), ("verifier", "a1.verifier", ""), ("certifier", "a1.certifier", "")]
    assert pao.contacts == [] and pao.not_started == 8
    assert a2.cells[5] == ("draft", "กำลังบันทึก")


def test_a_district_officer_gets_the_laggards_of_the_district_only(round_, district_officer, world):
    scope = scope_for(district_officer, level=Level.DISTRICT, code="3008", fiscal_year=round_.fiscal_year)
    assert [row.lao for row in laggards_of(scope, today=TODAY).rows] == [world.lao_a1]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_looks_like_a_formula_is_neutralised(text):
    assert safe(text) == "'" + text and safe_text(text) == "'" + text


def test_numbers_and_plain_text_pass_unchanged():
    assert safe(-5) == -5 and safe(Decimal("1.5")) == Decimal("1.5") and safe(None) is None
    assert safe("เทศบาลตำบล") == "เทศบาลตำบล" and safe_text(-5) == "'-5"


def _cells(book) -> list:
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def test_the_laggard_excel_has_a_row_per_lao_and_no_cell_starts_like_a_formula(round_, provincial_officer, world):
    User.objects.filter(username="a1.recorder").update(full_name="=cmd|' /C calc'!A0", phone="+66 81 234 5678",
                                                       position="@SUM(1)")
    world.lao_a2.name_th = "-เทศบาลนคร"
    world.lao_a2.save()
    book = load_workbook(io.BytesIO(exports.laggards_xlsx(province_laggards(provincial_officer,
                                                                            round_.fiscal_year))))
    sheet = book.active
    assert sheet["A1"].value == "รายชื่อ อปท. ที่ยังไม่ดำเนินการ ณ วันที่ 12 มิถุนายน 2568"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)]
    assert [row[2] for row in rows] == ["องค์การบริหารส่วนจังหวัดนครราชสีมา", "'-เทศบาลนคร", "เทศบาลตำบลด่านขุนทด"]
    a1 = rows[2]
    assert a1[6:14] == ["ส่งกลับแก้ไข", "กำลังบันทึก", "ยังไม่เริ่ม", "รอตรวจสอบ", "รอรับรอง", "รับรองแล้ว",
                        "ยังไม่เริ่ม", "ยังไม่เริ่ม"]
    assert a1[14] == 1  # sectors certified
    assert a1[15:18] == ["'=cmd|' /C calc'!A0", "'@SUM(1)", "'+66 81 234 5678"]
    for value in _cells(book):
        assert not isinstance(value, str) or not value.startswith(("=", "+", "-", "@"))
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_laggard_pdf_is_a_thai_a4_attachment(round_, provincial_officer):
    report = province_laggards(provincial_officer, round_.fiscal_year)
    pdf = exports.laggards_pdf(report, digits=True)
    assert pdf.startswith(b"%PDF-") and b"/MediaBox [0 0 841.89 595.28]" in pdf  # A4 landscape
    assert b"Sarabun" in pdf
    if shutil.which("pdftotext"):  # the text layer: marks placed by the shaper may come out apart, words do not
        text = _pdf_text(pdf)
        assert "๒๕๖๘" in text and "2568" not in text and "ด่านขุนทด" in text and "หน้า ๑" in text
        assert "2568" in _pdf_text(exports.laggards_pdf(report))


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def _population(user, fiscal_year, group_by, aggregate=Aggregate.SUM):
    scope = scope_for(user, level=Level.NATION, fiscal_year=fiscal_year)
    item = Indicator.objects.get(fiscal_year=fiscal_year, code="gov_population_total")
    return certified_values(scope, indicator=item, group_by=group_by, aggregate=aggregate)


def test_certified_values_count_certified_reports_only(round_, department_admin, world):
    values = dict(IndicatorValue.objects.filter(indicator__code="gov_population_total")
                  .values_list("report__lao_id", "value_integer"))
    table = _population(department_admin, round_.fiscal_year, GroupBy.PROVINCE)
    # certified governance: a1, a1_sao (province 30) and b1 (40); a2's governance is a draft and does not count
    rows = {row.code: row for row in table.rows}
    assert rows["30"].total == values[world.lao_a1.pk] + values[world.lao_a1_sao.pk] and rows["30"].laos == 2
    assert rows["40"].total == values[world.lao_b1.pk]
    assert table.overall.laos == 3 and table.laos_in_scope == 5
    assert table.overall.average == (Decimal(sum(values[lao.pk] for lao in (world.lao_a1, world.lao_a1_sao,
                                                                          world.lao_b1))) / 3).quantize(Decimal("0.01"))
    by_type = {row.code: row for row in _population(department_admin, round_.fiscal_year, GroupBy.LAO_TYPE).rows}
    assert set(by_type) == {"city", "subdistrict_municipality", "sao"}
    by_district = {row.code: row for row in _population(department_admin, round_.fiscal_year, GroupBy.DISTRICT).rows}
    assert by_district["3008"].laos == 2 and by_district["3008"].parent == "นครราชสีมา"


def test_certified_values_as_csv_and_excel(round_, department_admin, world):
    table = _population(department_admin, round_.fiscal_year, GroupBy.PROVINCE)
    scope = scope_for(department_admin, level=Level.NATION, fiscal_year=round_.fiscal_year)
    content = exports.values_csv(table, scope)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1] == ["รหัส", "จังหวัด", "จำนวน อปท. ที่รับรองแล้ว", "ผลรวม (คน)", "ค่าเฉลี่ยต่อ อปท. (คน)"]
    assert rows[2][:3] == ["30", "นครราชสีมา", "2"] and rows[-1][0:2] == ["", "รวมทั้งหมด"]
    book = load_workbook(io.BytesIO(exports.values_xlsx(table, scope)))
    sheet = book.active
    assert [c.value for c in sheet[3]][:3] == ["30", "นครราชสีมา", 2]
    assert isinstance(sheet.cell(row=3, column=4).value, int)


def test_a_thai_word_too_wide_for_its_column_breaks_between_letters_never_inside_one():
    from dashboards.exports.laggards_pdf import LEADING_VOWELS, _Attachment

    pdf = _Attachment(footer="", digits=False)
    pdf.set_font("Sarabun", "", 9)
    word = "เมืองนครราชสีมาเฉลิมพระเกียรติ"
    lines = pdf.wrap(word, 14)
    assert len(lines) > 1 and "".join(lines) == word
    assert all(pdf.get_string_width(line) <= 14 for line in lines)
    for line in lines[1:]:
        assert not unicodedata.combining(line[0]) and line[0] not in "ะาำ"
    assert all(line[-1] not in LEADING_VOWELS for line in lines)


def test_the_laggard_pdf_names_all_three_people_to_call(round_, provincial_officer, world):
    from dashboards.exports.laggards_pdf import _contact

    a1 = province_laggards(provincial_officer, round_.fiscal_year).rows[-1]
    assert _contact(a1).split("\n") == ["บันทึก: a1.recorder 0-4400-0000", "ตรวจสอบ: a1.verifier", "รับรอง: a1.certifier"]


def test_the_laggard_pdf_writes_lao_names_as_the_registry_does_and_breaks_them_after_the_type():
    from dashboards.exports.laggards_pdf import _Attachment

    pdf = _Attachment(footer="", digits=False)
    pdf.set_font("Sarabun", "", 9)
    assert pdf.name_lines("เทศบาลตำบลด่านขุนทด", 60) == ["เทศบาลตำบลด่านขุนทด"]  # no space put in
    assert pdf.name_lines("องค์การบริหารส่วนตำบลหนองบัวตะเกียด", 40) == ["องค์การบริหารส่วนตำบล", "หนองบัวตะเกียด"]


@pytest.mark.parametrize("digits", [False, True])
def test_the_laggard_pdf_numbers_its_pages_x_of_y(round_, provincial_officer, digits):
    from dashboards.exports.laggards_pdf import _Attachment, _ThaiDigitsTotal, laggards_pdf

    documents = []
    page_label = _Attachment.page_label

    def remembered(pdf):
        documents.append(pdf)
        return page_label(pdf)

    report = province_laggards(provincial_officer, round_.fiscal_year)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Attachment, "page_label", remembered)
        assert laggards_pdf(report, digits=digits).startswith(b"%PDF-")
    document = documents[0]
    assert page_label(document) == ("หน้า ๑ / {nb}" if digits else "หน้า 1 / {nb}")
    totals = [item for page in document.pages.values() for item in page.get_text_substitutions()]
    assert len(totals) == document.pages_count
    assert all(isinstance(item, _ThaiDigitsTotal) == digits for item in totals)

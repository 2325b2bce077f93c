"""The writers behind the laggard exports: plain Excel rows written as XML, PDF text laid out once per string,
and the list without its contacts."""

import io
import re
import zipfile

import pytest
import xlsxwriter
from fpdf.line_break import Fragment
from openpyxl import load_workbook

from dashboards.exports.laggards_pdf import FONT, _Attachment
from dashboards.exports.plain_rows import PlainRowsWorksheet
from dashboards.selectors import Level, laggards_of, scope_for
from tests.dashboards.conftest import TODAY


def _book(rows, *, above=("title",)) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("s", worksheet_class=PlainRowsWorksheet)
    for row, text in enumerate(above):
        sheet.write_string(row, 0, text)
    sheet.plain_rows(len(above), rows)
    book.close()
    return buffer.getvalue()


def test_plain_rows_read_back_as_written():
    texts = ["<a & b>", "_x0041_ not an A", " leading", "trailing ", "line\nnext", "ด่านขุนทด", "=1+2"]
    data = _book([[1, *texts], [2.5, None, "", "x"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[2]] == [1, *texts]
    assert [cell.value for cell in sheet[3]][:4] == [2.5, None, None, "x"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # text stays text
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:H3"/>' in xml
    assert re.search(r'<row r="1"[^>]*>.*</row><row r="2">.*</row><row r="3">.*</row></sheetData>', xml)
    shared = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml").decode()
    assert 'count="9" uniqueCount="9"' in shared and "&lt;a &amp; b&gt;" in shared and "_x005F_x0041_" in shared


def test_plain_rows_take_numbers_and_texts_below_the_other_cells_only():
    with pytest.raises(TypeError):
        _book([[True]])
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    sheet = book.add_worksheet("s", worksheet_class=PlainRowsWorksheet)
    sheet.write_string(2, 0, "below")
    with pytest.raises(ValueError):
        sheet.plain_rows(1, [["x"]])
    book.close()


@pytest.mark.parametrize("text", ["องค์การบริหารส่วนตำบลหนองบัวตะเกียด", "บันทึก: นายสมศักดิ์ ผู้ใหญ่ 0-4400-0000",
                                  "ที่ ๑๒๓ ปี่ ผู้ใช้ ก๊ก ฟ้ำ"])
def test_a_pdf_string_laid_out_once_writes_what_fpdf_writes_anywhere_on_the_page(text):
    pdf = _Attachment(footer="", digits=False)
    pdf.add_page()
    pdf.set_font(FONT, "", 9)
    placed = pdf._preload_bidirectional_text(text, False)
    assert placed and all(type(fragment).__name__ == "PlacedOnceFragment" for fragment in placed)
    for x, y in [(15.0, 20.0), (123.456, 87.9), (15.0, 20.0)]:
        for fragment in placed:
            plain = Fragment(fragment.characters, fragment.graphics_state, fragment.k)
            ours = fragment.render_with_text_shaping(x, y, pdf.h, 0)
            theirs = plain.render_with_text_shaping(x, y, pdf.h, 0)
            assert _rounded(ours) == _rounded(theirs)
            assert fragment.get_width() == plain.get_width()


def _rounded(operators: str) -> list:
    """The operators with each coordinate to within 0.01 pt (adding offsets in another order may move the last
    digit)."""
    return [round(float(token), 1) if re.fullmatch(r"-?\d+\.\d\d", token) else token for token in operators.split()]


def test_the_list_without_contacts_has_the_same_rows_and_no_one_to_call(round_, provincial_officer):
    scope = scope_for(provincial_officer, level=Level.PROVINCE, code="30", fiscal_year=round_.fiscal_year)
    full, bare = laggards_of(scope, today=TODAY), laggards_of(scope, today=TODAY, contacts=False)
    assert [(row.lao, row.states) for row in bare.rows] == [(row.lao, row.states) for row in full.rows]
    assert any(row.contacts for row in full.rows) and not any(row.contacts for row in bare.rows)

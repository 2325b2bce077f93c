"""The laggard list as a PDF in the style of an attachment to an official letter: A4 landscape, Sarabun,
Buddhist-Era date, Thai digits on request. fpdf2 shapes the Thai text with HarfBuzz, so vowels and tone
marks sit where they belong.

The table is laid out here line by line rather than with fpdf2's table(): its line breaker measures the text
one character at a time, in each cell twice (once for the row's height), which makes the province's PDF three
to four times slower; here whole lines are measured, and each distinct string is shaped once (shaped_pdf).
"""

import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf.line_break import TotalPagesSubstitutionFragment

from accounts.policy import Role
from dashboards.exports.shaped_pdf import ShapedOncePDF
from dashboards.exports.sheets import laggard_subtitle, laggard_summary, laggard_title
from dashboards.selectors.funnel import NOT_STARTED
from dashboards.selectors.laggards import Laggard, LaggardList
from info_portal.thai import thai_date, thai_digits

FONT = "Sarabun"
MARGIN = 15  # mm
FOOTER_SPACE = 16  # mm kept free at the foot of each page
LINE_H = 4.6  # mm, for 9 pt
PAD = 0.9  # mm inside each cell
HEADING_FILL = (232, 238, 247)
# Column widths in mm of an A4 landscape page less its margins (267 mm): no., LAO, district, sectors, contact.
NUMBER_W, LAO_W, DISTRICT_W, SECTOR_W, CONTACT_W = 8, 45, 25, 17, 53
STATE_PT = 8.5  # the longest state, รอตรวจสอบ, fits a sector column at this size
# Thai is written without spaces between words: a break after the type lets a long name wrap cleanly.
TYPE_PREFIXES = ("องค์การบริหารส่วนจังหวัด", "องค์การบริหารส่วนตำบล", "เทศบาลนคร", "เทศบาลเมือง", "เทศบาลตำบล")
# Whom to call: the recorder who enters the data, the verifier who checks it and the head who certifies it.
CONTACT_ROLES = {Role.RECORDER: gettext_lazy("บันทึก"), Role.VERIFIER: gettext_lazy("ตรวจสอบ"),
                 Role.CERTIFIER: gettext_lazy("รับรอง")}
TOTAL_PAGES = "{nb}"  # fpdf2 writes the number of pages here when the document is closed
LEADING_VOWELS = "เแโใไ"  # written before the consonant they follow in speech: never last on a line
FOLLOWING_VOWELS = "ะาำๅ"  # spacing vowels that never begin a line


@dataclass(frozen=True)
class _Cell:
    lines: list[str]
    align: str = "L"
    bold: bool = False
    size: float = 9


def _font_dir() -> Path:
    return Path(settings.BASE_DIR) / "static" / "fonts"


class _ThaiDigitsTotal(TotalPagesSubstitutionFragment):
    """The number of pages, written in Thai digits like the rest of the page."""

    def render_text_substitution(self, replacement_text: str) -> str:
        return super().render_text_substitution(thai_digits(replacement_text))


class _Attachment(ShapedOncePDF):
    def __init__(self, *, footer: str, digits: bool):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.footer_text = footer
        self.digits = digits
        fonts = _font_dir()
        self.add_font(FONT, "", str(fonts / "Sarabun-Regular.ttf"))
        self.add_font(FONT, "B", str(fonts / "Sarabun-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=FOOTER_SPACE)
        self.alias_nb_pages(TOTAL_PAGES, align="R")  # the footer is right-aligned: so is the total in its room

    def _preload_font_styles(self, text, markdown, **kwargs):
        for fragment in super()._preload_font_styles(text, markdown, **kwargs):
            if self.digits and type(fragment) is TotalPagesSubstitutionFragment:
                fragment.__class__ = _ThaiDigitsTotal
            yield fragment

    def text_of(self, value: object) -> str:
        text = "" if value is None else str(value)
        return thai_digits(text) if self.digits else text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=9)
        self.set_text_color(90, 100, 115)
        self.cell(0, 5, self.text_of(self.footer_text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, self.page_label(), align="R")
        self.set_text_color(0, 0, 0)

    def page_label(self) -> str:
        """หน้า x / y: the total is filled in when the document is closed."""
        return self.text_of(_("หน้า %(page)s / %(pages)s") % {"page": self.page_no(), "pages": TOTAL_PAGES})

    def name_lines(self, name: str, width: float) -> list[str]:
        """An LAO's name as the registry writes it, on one line if it fits, else broken after its type (Thai puts
        no space there), then between words or letters."""
        if self.width_of(self.text_of(name)) <= width:
            return [self.text_of(name)]
        prefix = next((p for p in TYPE_PREFIXES if name.startswith(p) and len(name) > len(p)), None)
        if prefix is None:
            return self.wrap(name, width)
        return [*self.wrap(prefix, width), *self.wrap(name.removeprefix(prefix), width)]

    def wrap(self, text: str, width: float) -> list[str]:
        """Lines of at most `width` mm, broken at spaces; a word wider than that is broken between letters."""
        lines: list[str] = []
        for paragraph in self.text_of(text).split("\n"):
            if self.width_of(paragraph) <= width:
                lines.append(paragraph)
                continue
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if self.width_of(candidate) <= width:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                pieces = self._letters(word, width)
                lines.extend(pieces[:-1])
                line = pieces[-1]
            lines.append(line)
        return lines

    def _letters(self, word: str, width: float) -> list[str]:
        """A word cut into pieces that fit, between letters: a vowel or tone mark stays with its consonant, a
        leading vowel with the consonant after it."""
        clusters: list[str] = []
        for char in word:
            if clusters and (unicodedata.combining(char) or char in FOLLOWING_VOWELS
                             or clusters[-1][-1] in LEADING_VOWELS):
                clusters[-1] += char
            else:
                clusters.append(char)
        # Cut where the clusters' widths add up past the column (each cluster is measured once in the document),
        # then measure each piece whole: a piece the shaper makes wider gives its last cluster to the next.
        pieces, piece, used = [], [], 0.0
        for cluster in clusters:
            cluster_width = self.width_of(cluster)
            if piece and used + cluster_width > width:
                pieces.append(piece)
                piece, used = [], 0.0
            piece.append(cluster)
            used += cluster_width
        pieces.append(piece)
        lines = []
        for index, piece in enumerate(pieces):
            while len(piece) > 1 and self.width_of("".join(piece)) > width:
                carried = piece.pop()
                if index + 1 == len(pieces):
                    pieces.append([])
                pieces[index + 1].insert(0, carried)
            lines.append("".join(piece))
        return lines

    def table_row(self, widths: tuple[float, ...], cells: list[_Cell], *, fill: bool = False) -> None:
        height = max(len(cell.lines) for cell in cells) * LINE_H + 2 * PAD
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
            self.table_heading()
        x, y = self.l_margin, self.get_y()
        for width, cell in zip(widths, cells, strict=True):
            if fill:
                self.set_fill_color(*HEADING_FILL)
            self.rect(x, y, width, height, style="DF" if fill else "D")
            self.set_font(FONT, "B" if cell.bold or fill else "", cell.size)
            for index, line in enumerate(cell.lines):
                self.set_xy(x + PAD, y + PAD + index * LINE_H)
                self.cell(width - 2 * PAD, LINE_H, line, align=cell.align)
            x += width
        self.set_xy(self.l_margin, y + height)

    def table_heading(self) -> None:
        self.table_row(self.widths, self.heading, fill=True)


def _contact(row: Laggard) -> str:
    lines = []
    for contact in row.contacts:
        if contact.role in CONTACT_ROLES:
            phone = f" {contact.phone}" if contact.phone else ""
            lines.append(f"{CONTACT_ROLES[contact.role]}: {contact.name}{phone}")
    return "\n".join(lines) or "—"


def laggards_pdf(laggards: LaggardList, *, digits: bool = False) -> bytes:
    """Title, subject and count centred; a legend of the sectors; one table row per LAO, headings repeated."""
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its font subsetter logs every glyph at INFO
    pdf = _Attachment(
        footer=_("ระบบข้อมูลกลางองค์กรปกครองส่วนท้องถิ่น (INFO) · ข้อมูล ณ วันที่ %(date)s")
        % {"date": thai_date(laggards.as_of)}, digits=digits)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, pdf.text_of(laggard_title(laggards)), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 13)
    pdf.multi_cell(0, 7, pdf.text_of(laggard_subtitle(laggards)), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, pdf.text_of(laggard_summary(laggards)), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT, "", 10)
    legend = "   ".join(f"{_('ด้านที่')} {s.order} {s.name_th.removeprefix('ด้าน')}" for s in laggards.sectors)
    pdf.multi_cell(0, 5, pdf.text_of(legend), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    sectors = len(laggards.sectors)
    pdf.widths = (NUMBER_W, LAO_W, DISTRICT_W, *([SECTOR_W] * sectors), CONTACT_W + (8 - sectors) * SECTOR_W)
    pdf.set_font(FONT, "B", 9)
    pdf.heading = [_Cell([pdf.text_of(text)], "C") for text in (_("ที่"), _("อปท."), _("อำเภอ"))]
    pdf.heading += [_Cell([pdf.text_of(_("ด้านที่ %(n)s") % {"n": s.order})], "C") for s in laggards.sectors]
    pdf.heading += [_Cell([pdf.text_of(_("ผู้ประสานงาน"))], "C")]
    pdf.table_heading()
    pdf.set_font(FONT, "", 9)
    inner = [width - 2 * PAD for width in pdf.widths]
    for number, row in enumerate(laggards.rows, start=1):
        cells = [
            _Cell([pdf.text_of(number)], "R"),
            _Cell(pdf.name_lines(row.lao.name_th, inner[1])),
            _Cell(pdf.wrap(row.lao.district.name_th if row.lao.district else "—", inner[2])),
            *[_Cell([pdf.text_of(label)], "C", bold=state == NOT_STARTED, size=STATE_PT) for state, label in row.cells],
            _Cell(pdf.wrap(_contact(row), inner[-1])),
        ]
        pdf.table_row(pdf.widths, cells)
    if not laggards.rows:
        pdf.ln(4)
        pdf.set_font(FONT, "", 13)
        pdf.cell(0, 8, pdf.text_of(_("ทุก อปท. รับรองข้อมูลครบทุกด้านแล้ว")), align="C")
    return bytes(pdf.output())

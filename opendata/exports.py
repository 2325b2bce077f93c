"""The open dataset of one fiscal year and one sector as CSV and as Excel: one row per item and area."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from dashboards.exports.cells import safe, safe_text
from opendata.selectors import dataset_rows
from sectors.models import FiscalYear, Sector

COLUMNS = ["fiscal_year", "sector", "item", "item_label", "unit", "group_by", "code", "label", "province", "laos",
           "total", "average", "suppressed"]


def _rows(fiscal_year: FiscalYear, sector: Sector):
    for item, row in dataset_rows(fiscal_year, sector):
        yield [fiscal_year.be_year, sector.code, item.code, item.label_th, item.unit, row.group_by, row.code,
               row.label, row.parent, row.laos, row.total, row.average, row.suppressed]


def dataset_csv(fiscal_year: FiscalYear, sector: Sector) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Thai text as it is; a suppressed figure is empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for values in _rows(fiscal_year, sector):
        writer.writerow([safe_text("" if value is None else value) for value in values])
    return buffer.getvalue().encode("utf-8-sig")


def dataset_xlsx(fiscal_year: FiscalYear, sector: Sector, *, licence: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("ข้อมูลเปิด")
    sheet.append(COLUMNS)
    for values in _rows(fiscal_year, sector):
        sheet.append([safe(value) for value in values])
    notes = book.create_sheet(_("สัญญาอนุญาต"))
    notes.append([safe(licence)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

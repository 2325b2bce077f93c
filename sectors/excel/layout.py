"""The workbook's layout, shared by export and upload, and what a preview and an apply report."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from info_portal.text import FORMULA_STARTS
from organizations.models import LAO
from sectors import values
from sectors.checks import CheckResult
from sectors.formatting import format_value
from sectors.models import (
    FiscalYear,
    Sector,
)

FORMAT = "info-portal/sector-workbook/1"
META_SHEET = "ข้อมูลระบบ"
LISTS_SHEET = "ตัวเลือก"
NOTES_SHEET = "คำอธิบาย"
HEADER_ROW = 3
MAX_ITEM_ROWS = 2000
# Excel cells that begin with one of these are formulas when typed or opened from a CSV copy.
FORMULA_TRIGGERS = FORMULA_STARTS
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YES, NO, APPLIES_NOT = "มี", "ไม่มี", "ใช่"


def _columns() -> list[str]:
    return [_("รหัสรายการ"), _("รายการ"), _("หน่วย"), _("ค่าปีก่อน"), _("ค่า"), _("ไม่เกี่ยวข้อง"),
            _("เหตุผลที่เปลี่ยนแปลงมาก")]


CODE, LABEL, UNIT, LAST_YEAR, VALUE, NOT_APPLICABLE_FLAG, REASON = COLUMN_INDEXES = range(7)
EDITABLE_COLUMNS = (VALUE, NOT_APPLICABLE_FLAG, REASON)


class WorkbookRefused(Exception):
    """The upload or the apply is refused as a whole; the message is for the recorder."""


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str
    message: str
    item: str = ""  # the item's label, when the row names a known item


@dataclass(frozen=True)
class ItemChange:
    code: str
    label: str
    unit: str
    old: Any
    new: Any
    reason: str
    value_changed: bool

    @property
    def old_display(self) -> str:
        return format_value(self.old)

    @property
    def new_display(self) -> str:
        return format_value(self.new)


@dataclass
class SectorChanges:
    sector: Sector
    sheet: str
    version: int | None  # the report's version when the workbook was downloaded; None if not opened yet
    changes: list[ItemChange] = field(default_factory=list)
    checks: CheckResult | None = None


@dataclass
class UploadPreview:
    lao: LAO
    fiscal_year: FiscalYear
    sectors: list[SectorChanges] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def changed_sectors(self) -> list[SectorChanges]:
        return [s for s in self.sectors if s.changes]

    @property
    def change_count(self) -> int:
        return sum(len(s.changes) for s in self.sectors)

    @property
    def can_apply(self) -> bool:
        return not self.errors and self.change_count > 0

    def as_data(self) -> dict:
        """What applying needs, as JSON: the typed new values (values.to_json) and versions of changed sectors."""
        return {"lao": self.lao.pk, "year": self.fiscal_year.be_year, "sectors": [
            {"sector": s.sector.code, "version": s.version,
             "values": {c.code: values.to_json(c.new) for c in s.changes},
             "reasons": {c.code: c.reason for c in s.changes}}
            for s in self.changed_sectors
        ]}


@dataclass(frozen=True)
class ApplyResult:
    sectors: int
    values: int


def workbook_filename(lao: LAO, fiscal_year: FiscalYear) -> str:
    return f"info-{lao.dla_code or lao.pk}-{fiscal_year.be_year}.xlsx"

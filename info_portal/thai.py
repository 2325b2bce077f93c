"""Thai calendar helpers: Buddhist-Era dates, fiscal years (1 Oct – 30 Sep) and Thai digits."""

from dataclasses import dataclass
from datetime import date, datetime

BE_OFFSET = 543

MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def be_year(value: date) -> int:
    """The Buddhist-Era year of a date (2025 → 2568)."""
    return value.year + BE_OFFSET


def thai_digits(text: object) -> str:
    """The same text with Arabic digits written as Thai digits (for printed letters)."""
    return str(text).translate(_THAI_DIGITS)


def thai_date(value: date | datetime, *, short: bool = False, digits: bool = False) -> str:
    """'15 มิถุนายน 2568', or '15 มิ.ย. 68' when short; Thai digits on request."""
    if isinstance(value, datetime):
        value = value.date()
    if short:
        text = f"{value.day} {MONTHS_SHORT[value.month - 1]} {be_year(value) % 100:02d}"
    else:
        text = f"{value.day} {MONTHS_FULL[value.month - 1]} {be_year(value)}"
    return thai_digits(text) if digits else text


@dataclass(frozen=True)
class FiscalYear:
    """A Thai fiscal year, named by the Buddhist-Era year in which it ends."""

    be_year: int

    @property
    def start(self) -> date:
        return date(self.be_year - BE_OFFSET - 1, 10, 1)

    @property
    def end(self) -> date:
        return date(self.be_year - BE_OFFSET, 9, 30)

    @property
    def label(self) -> str:
        return f"ปีงบประมาณ พ.ศ. {self.be_year}"

    def __contains__(self, value: date) -> bool:
        return self.start <= value <= self.end

    @classmethod
    def of(cls, value: date) -> "FiscalYear":
        """The fiscal year a date falls in: from 1 October the next year's."""
        ends_in = value.year + 1 if value.month >= 10 else value.year
        return cls(ends_in + BE_OFFSET)

"""Numbers and typed values as the pages, the Excel files and the certificates show them, and numbers as typed."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from sectors.values import NOT_APPLICABLE

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def normalize_number(text: str) -> str:
    """What the recorder typed, as plain digits: Thai digits to Arabic, thousands separators and spaces dropped."""
    return re.sub(r"[,\s\u00a0\u202f]", "", text.translate(_THAI_DIGITS))


def format_number(number: int | Decimal) -> str:
    """1234567 → 1,234,567; Decimal('1234.5000') → 1,234.5."""
    if isinstance(number, Decimal):
        return f"{number.normalize():,f}"
    return f"{number:,}"


def format_value(typed: Any) -> str:
    """A typed value as the pages show it."""
    if typed is None:
        return ""
    if typed == NOT_APPLICABLE:
        return str(_("ไม่เกี่ยวข้อง"))
    if isinstance(typed, bool):
        return str(_("มี") if typed else _("ไม่มี"))
    if isinstance(typed, int | Decimal):
        return format_number(typed)
    return str(typed)



@dataclass(frozen=True)
class Change:
    """From one figure to another (two years of an item, two years of an area): the difference and, where the first
    is not zero, the percentage, as the pages show them; "—" without both figures."""

    before: Decimal | None
    after: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def percent(self) -> Decimal | None:
        if self.difference is None or not self.before:
            return None
        return (self.difference * 100 / self.before).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def label(self) -> str:
        """+12 % (or the difference alone where the first figure is zero)."""
        if self.difference is None:
            return "—"
        sign = "+" if self.difference > 0 else ""
        if self.percent is None:
            return f"{sign}{format_number(self.difference)}"
        return f"{sign}{format_number(self.percent)} %"

    @property
    def direction(self) -> str:
        difference = self.difference or 0
        return "up" if difference > 0 else "down" if difference < 0 else "same"

"""Numbers and typed values as the pages, the Excel files and the certificates show them, and numbers as typed."""

import re
from decimal import Decimal
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


"""One value as a recorder typed it, in a form field or a spreadsheet cell, to the typed value of its item.

Numbers and text go through the web form's own fields (sectors.forms), so the form and the Excel upload
accept and refuse the same values with the same Thai messages. A spreadsheet cell may also hold a number,
a date or a boolean, and "มี"/"ไม่มี" for yes/no items, which the form offers as radio buttons.
"""

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from info_portal.text import without_controls
from sectors.forms import TEXT_MAX_LENGTH, DecimalItemField, IntegerItemField, format_number
from sectors.models import Indicator, IndicatorKind

YES_WORDS = frozenset({"มี", "ใช่", "yes", "y", "true", "1", "✓"})
NO_WORDS = frozenset({"ไม่มี", "ไม่ใช่", "no", "n", "false", "0"})


def normal_text(raw: Any) -> str:
    """A cell as one line of text: integral numbers without '.0', spaces collapsed, zero-width marks removed."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.isoformat()
    text = without_controls(str(raw)).replace("\u200b", "").replace("\ufeff", "").replace("\u0e4d\u0e32", "\u0e33")
    return " ".join(text.split())


def _number_text(raw: Any) -> str:
    """A spreadsheet number written out in full (never 1e+20), or the text of any other cell."""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return f"{Decimal(repr(raw)).normalize():f}" if math.isfinite(raw) else repr(raw)
    return normal_text(raw)


def _yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = normal_text(raw).lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValidationError(_("ต้องเป็น “มี” หรือ “ไม่มี”"), code="invalid_choice")


def _choice(indicator: Indicator, raw: Any) -> str:
    text = normal_text(raw)
    for choice in indicator.choices:
        if normal_text(choice).lower() == text.lower():
            return choice
    raise ValidationError(_("ไม่มีตัวเลือก “%(value)s” เลือกได้จาก: %(choices)s")
                          % {"value": text[:50], "choices": ", ".join(indicator.choices)}, code="invalid_choice")


def _text(raw: Any) -> str | None:
    text = (normal_text(raw) if not isinstance(raw, str) else without_controls(raw)).strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(_("ข้อความยาวได้ไม่เกิน %(max)s ตัวอักษร") % {"max": format_number(TEXT_MAX_LENGTH)},
                              code="max_length")
    return text or None


def parse_value(indicator: Indicator, raw: Any) -> Any:
    """The typed value (int, Decimal, bool or str) of what was typed for the item, None if blank;
    a ValidationError with a Thai message if it is not a value of the item's kind, range or choices."""
    if raw is None or (isinstance(raw, str) and not normal_text(raw)):
        return None
    if indicator.kind == IndicatorKind.INTEGER:
        return IntegerItemField(min_value=indicator.min_value, max_value=indicator.max_value).clean(_number_text(raw))
    if indicator.kind == IndicatorKind.DECIMAL:
        return DecimalItemField(min_value=indicator.min_value, max_value=indicator.max_value).clean(_number_text(raw))
    if indicator.kind == IndicatorKind.YES_NO:
        return _yes_no(raw)
    if indicator.kind == IndicatorKind.CHOICE:
        return _choice(indicator, raw)
    return _text(raw)

"""Template filters for Thai dates and digits; loaded as builtins in every template."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from info_portal import thai
from info_portal.names import has_thai, is_english, local_text

register = template.Library()


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def be_date(value: date | datetime | None, style: str = "") -> str:
    """{{ d|be_date }} → 15 มิถุนายน 2568; {{ d|be_date:"short" }} → 15 มิ.ย. 68; "thai" adds Thai digits.
    In English: 15 June 2025, 15 Jun 2025."""
    if not value:
        return ""
    options = set(style.split(","))
    return thai.local_date(_local(value), short="short" in options, digits="thai" in options)


@register.filter
def be_datetime(value: datetime | None) -> str:
    """15 มิ.ย. 68 14:05 น.; in English 15 Jun 2025 14:05."""
    if not value:
        return ""
    local = _local(value)
    return thai.local_datetime(local)


@register.filter
def thai_digits(value: object) -> str:
    return thai.thai_digits(value)


@register.filter
def fiscal_year_label(value: date | int) -> str:
    """ปีงบประมาณ พ.ศ. 2568 (FY 2568 in English), from a date or a Buddhist-Era year."""
    fiscal_year = thai.FiscalYear(value) if isinstance(value, int) else thai.FiscalYear.of(_local(value))
    return fiscal_year.label


# Fields of a record holding a Thai text and its English translation, by what the text is.
_PAIRS = {"": None, "section": ("section", "section_en"), "unit": ("unit", "unit_en")}


@register.filter
def name(record: object, part: str = "") -> str:
    """{{ lao|name }}: the record's name in the active language; {{ indicator|name:"section" }} or "unit" for those
    texts. A Thai text shown for want of an English one is marked lang="th" (screen readers, the English test)."""
    if record is None or record == "":
        return ""
    pair = _PAIRS[part] or (getattr(record, "name_th_field", None), getattr(record, "name_en_field", None))
    if pair[0] is None or not hasattr(record, pair[0]):
        return str(record)
    text, is_thai = local_text(record, *pair)
    return format_html('<span lang="th">{}</span>', text) if is_thai else text


@register.filter
def typed(text: object) -> str:
    """{{ user.full_name|typed }}: text people wrote (names, positions, comments, stored messages) as it is, marked
    lang="th" on an English page when it is written in Thai."""
    text = "" if text is None else str(text)
    return format_html('<span lang="th">{}</span>', text) if is_english() and has_thai(text) else text

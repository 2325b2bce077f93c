"""Template filters for Thai dates and digits; loaded as builtins in every template."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from info_portal import thai

register = template.Library()


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def be_date(value: date | datetime | None, style: str = "") -> str:
    """{{ d|be_date }} → 15 มิถุนายน 2568; {{ d|be_date:"short" }} → 15 มิ.ย. 68; "thai" adds Thai digits."""
    if not value:
        return ""
    options = set(style.split(","))
    return thai.thai_date(_local(value), short="short" in options, digits="thai" in options)


@register.filter
def be_datetime(value: datetime | None) -> str:
    """15 มิ.ย. 68 14:05 น."""
    if not value:
        return ""
    local = _local(value)
    return f"{thai.thai_date(local, short=True)} {local:%H:%M} น."


@register.filter
def thai_digits(value: object) -> str:
    return thai.thai_digits(value)


@register.filter
def fiscal_year_label(value: date | int) -> str:
    """ปีงบประมาณ พ.ศ. 2568, from a date or a Buddhist-Era year."""
    fiscal_year = thai.FiscalYear(value) if isinstance(value, int) else thai.FiscalYear.of(_local(value))
    return fiscal_year.label

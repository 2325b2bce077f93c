"""Sealed and recorded values as the pages show them, and the item names of a report's catalogue."""

from decimal import Decimal, InvalidOperation
from typing import Any

from info_portal import thai
from sectors import values
from sectors.forms import format_value
from sectors.models import Indicator, SectorReport


def catalogue_of(report: SectorReport) -> dict[str, Indicator]:
    """The items of the report's sector in its year's catalogue, by code, in the catalogue's order."""
    items = Indicator.objects.filter(fiscal_year_id=report.fiscal_year_id, sector_id=report.sector_id)
    return {item.code: item for item in items.order_by("order", "code")}


def is_number(raw: Any, indicator: Indicator | None) -> bool:
    if raw is None or isinstance(raw, bool | dict):
        return False
    return isinstance(raw, int) or (indicator is not None and indicator.is_numeric)


def _typed(raw: Any, indicator: Indicator | None) -> Any:
    """A value's JSON form, as kept in ValueChange and in the seal, back to its typed form."""
    if isinstance(raw, dict):
        return values.NOT_APPLICABLE if raw.get("not_applicable") else None
    if isinstance(raw, str) and is_number(raw, indicator):
        try:
            return Decimal(raw)
        except InvalidOperation:
            return raw
    return raw


def readable(raw: Any, indicator: Indicator | None, *, thai_digits: bool = False) -> str:
    """A value in its JSON form as the pages show it (numbers with thousands separators); "" when empty."""
    text = format_value(_typed(raw, indicator))
    return thai.thai_digits(text) if thai_digits else text


def label(code: str, catalogue: dict[str, Indicator]) -> str:
    return catalogue[code].display_name if code in catalogue else code

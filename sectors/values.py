"""Typed values of items: reading them from and writing them to IndicatorValue rows, and their JSON form."""

from decimal import Decimal
from typing import Any

from sectors.models import Indicator, IndicatorKind, IndicatorValue


class _NotApplicable:
    """The recorder marked the item as not applicable: neither zero nor missing."""

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _NotApplicable)

    def __hash__(self) -> int:
        return 0


NOT_APPLICABLE = _NotApplicable()


def read(value: IndicatorValue | None) -> Any:
    """The typed value of a row: None (missing), NOT_APPLICABLE, int, Decimal, bool or str."""
    if value is None:
        return None
    if value.not_applicable:
        return NOT_APPLICABLE
    return value.value


def write(row: IndicatorValue, indicator: Indicator, typed: Any) -> None:
    """Store a typed value into the row's columns, clearing the others."""
    row.value_integer = row.value_decimal = row.value_bool = None
    row.value_text = ""
    row.not_applicable = typed == NOT_APPLICABLE
    if typed is None or row.not_applicable:
        return
    if indicator.kind == IndicatorKind.INTEGER:
        row.value_integer = int(typed)
    elif indicator.kind == IndicatorKind.DECIMAL:
        row.value_decimal = Decimal(typed)
    elif indicator.kind == IndicatorKind.YES_NO:
        row.value_bool = bool(typed)
    else:
        row.value_text = str(typed)


def to_json(typed: Any) -> Any:
    """The form kept in ValueChange and in certification snapshots."""
    if typed == NOT_APPLICABLE:
        return {"not_applicable": True}
    if isinstance(typed, Decimal):
        return str(typed.normalize()) if typed == typed.to_integral_value() else str(typed)
    return typed


def numeric(typed: Any) -> Decimal | None:
    """The value as a Decimal for rules and comparisons, None if it has none."""
    if typed is None or typed == NOT_APPLICABLE or isinstance(typed, bool | str):
        return None
    return Decimal(typed)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, int | Decimal) and isinstance(b, int | Decimal) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return Decimal(a) == Decimal(b)
    return a == b

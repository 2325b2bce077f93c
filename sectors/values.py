"""Typed values of items: reading them from and writing them to IndicatorValue rows, and their JSON form."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sectors.models import Indicator, IndicatorKind, IndicatorValue, SectorReport


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


@dataclass
class RowWrites:
    create: list[IndicatorValue] = field(default_factory=list)
    update: list[IndicatorValue] = field(default_factory=list)
    changes: list[tuple[IndicatorValue, Any, Any]] = field(default_factory=list)  # row, old and new JSON


def rows_apply(*, report: SectorReport, indicators: Mapping[str, Indicator], rows: Mapping[str, IndicatorValue],
               new_values: Mapping[str, Any], reasons: Mapping[str, str], confirms: Callable[[str], bool],
               now: datetime) -> RowWrites:
    """Put typed values (by code) into a report's rows: a row is written where its value or reason changes or a
    carried value is confirmed, a new row only for a value or a reason, and a change is recorded where the value
    changes (which also ends its being carried)."""
    planned = RowWrites()
    for code, typed in new_values.items():
        indicator = indicators.get(code)
        if indicator is None:
            continue
        row = rows.get(code)
        old = read(row)
        reason = reasons.get(code, "").strip()
        if row is not None and same(old, typed) and row.change_reason == reason \
                and not (row.carried_forward and confirms(code)):
            continue
        if row is None and typed is None and not reason:
            continue  # an empty field of a new item is not worth a row
        if row is None:
            row = IndicatorValue(report=report, indicator=indicator)
            planned.create.append(row)
        else:
            planned.update.append(row)
        if not same(old, typed):
            planned.changes.append((row, to_json(old), to_json(typed)))
            row.carried_forward = False
        elif confirms(code):
            row.carried_forward = False
        write(row, indicator, typed)
        row.change_reason = reason
        row.updated_at = now
    return planned


def carried_rows(*, report: SectorReport, indicators: list[Indicator], previous: Mapping[str, Any]
                 ) -> list[IndicatorValue]:
    """A new report starts from last year's certified values of the same items, marked as carried."""
    rows = []
    for indicator in indicators:
        typed = previous.get(indicator.code)
        if typed is None:
            continue
        row = IndicatorValue(report=report, indicator=indicator, carried_forward=True)
        write(row, indicator, typed)
        rows.append(row)
    return rows

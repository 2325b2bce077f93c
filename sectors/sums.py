"""Items that are the sum of other items of their sector (an error rule of the catalogue, `a + b = total`): the
form computes them from their parts and shows them read-only, so they are never typed and never disagree."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sectors.models import Indicator, IndicatorKind
from sectors.values import NOT_APPLICABLE, numeric


def with_sums(typed: Mapping[str, Any], *, sums: Mapping[str, tuple[str, ...]],
              indicators: Mapping[str, Indicator]) -> dict[str, Any]:
    """The typed values with each total set to the sum of its parts. A part marked not applicable adds nothing;
    a total whose parts hold no number yet, or which is itself marked not applicable, is left as it is."""
    result = dict(typed)
    for total, parts in sums.items():
        item = indicators.get(total)
        if item is None or result.get(total) == NOT_APPLICABLE or any(part not in indicators for part in parts):
            continue
        numbers = [number for part in parts if (number := numeric(result.get(part))) is not None]
        if not numbers:
            continue
        added = sum(numbers, Decimal(0))
        result[total] = int(added) if item.kind == IndicatorKind.INTEGER else added
    return result

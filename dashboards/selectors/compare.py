"""The data view's comparison of two fiscal years: one item's certified figures by area in year A and year B.

The item is the one with the same code in both years' catalogues (a renamed item keeps its code); an item that
year A's catalogue does not have (added since) has no year-A figures.
"""

from dataclasses import dataclass, replace

from dashboards.selectors.certified import ValueRow, ValueTable, certified_values
from dashboards.selectors.scope import Scope
from sectors.formatting import Change
from sectors.models import NUMERIC_KINDS, FiscalYear, Indicator


@dataclass(frozen=True)
class ComparedRow(Change):
    """One area's figure in year A (`before`) and year B (`after`), with the change between them."""

    row: ValueRow | None = None  # year B's, or year A's where year B has none


@dataclass(frozen=True)
class Comparison:
    year_a: FiscalYear
    year_b: FiscalYear
    item_a: Indicator | None  # None: year A's catalogue has no item of that code
    rows: list[ComparedRow]
    overall: ComparedRow


def years_compared(scope: Scope, table: ValueTable, year_a: FiscalYear) -> Comparison:
    """Year A's figures of the table's item beside year B's (the table's), area by area, with the change."""
    aggregate = table.aggregate
    item_a = Indicator.objects.filter(fiscal_year=year_a, code=table.indicator.code, kind__in=NUMERIC_KINDS) \
        .select_related("sector").first()
    earlier = None if item_a is None else certified_values(
        replace(scope, fiscal_year=year_a), indicator=item_a, group_by=table.group_by, aggregate=aggregate)
    before = {row.code: row for row in earlier.rows} if earlier else {}
    rows = [ComparedRow(row=row, before=before.pop(row.code).value(aggregate) if row.code in before else None,
                        after=row.value(aggregate)) for row in table.rows]
    rows += [ComparedRow(row=row, before=row.value(aggregate), after=None) for row in before.values()]
    overall = ComparedRow(row=table.overall, before=earlier.overall.value(aggregate) if earlier else None,
                          after=table.overall.value(aggregate))
    return Comparison(year_a=year_a, year_b=scope.fiscal_year, item_a=item_a, rows=rows, overall=overall)

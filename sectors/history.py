"""An LAO's certified values across fiscal years, item by item, with the change from one year to the next."""

from dataclasses import dataclass, field
from typing import Any

from organizations.models import LAO
from sectors import values
from sectors.formatting import Change, format_value
from sectors.models import Indicator, IndicatorValue, ReportStatus, Sector


@dataclass
class ItemYears:
    code: str
    indicator: Indicator  # as named in the latest year that has it
    by_year: dict[int, Any] = field(default_factory=dict)  # typed values by Buddhist-Era year
    retired_after: int | None = None  # the last year of an item the latest year's catalogue no longer has
    cells: list[str] = field(default_factory=list)  # as shown, one per year of the table
    last_change: Change | None = None  # between the table's last two years

    def change(self, before: int, after: int) -> Change:
        """From year `before` to year `after` (Buddhist-Era years)."""
        return Change(before=values.numeric(self.by_year.get(before)), after=values.numeric(self.by_year.get(after)))


@dataclass
class SectorYears:
    sector: Sector
    items: list[ItemYears]


@dataclass
class ValuesAcrossYears:
    years: list[int]  # ascending
    sectors: list[SectorYears]

    @property
    def last_pair(self) -> tuple[int, int] | None:
        return (self.years[-2], self.years[-1]) if len(self.years) > 1 else None


def values_across_years(lao: LAO, *, sector: Sector | None = None) -> ValuesAcrossYears:
    """The LAO's certified values of every year, by sector and item (one query): an item renamed keeps its code and
    so its row, shown under its latest name; an item retired keeps its earlier values and says until when."""
    rows = IndicatorValue.objects.filter(report__lao=lao, report__status=ReportStatus.CERTIFIED) \
        .select_related("indicator__sector", "report__fiscal_year")
    if sector is not None:
        rows = rows.filter(report__sector=sector)
    items: dict[str, ItemYears] = {}
    latest_of: dict[str, int] = {}
    years: set[int] = set()
    for row in rows:
        year, code = row.report.fiscal_year.be_year, row.indicator.code
        years.add(year)
        item = items.setdefault(code, ItemYears(code=code, indicator=row.indicator))
        if year >= latest_of.get(code, 0):
            item.indicator, latest_of[code] = row.indicator, year
        item.by_year[year] = values.read(row)
    ordered = sorted(years)
    kept = set(Indicator.objects.filter(fiscal_year__be_year=ordered[-1], code__in=list(items))
               .values_list("code", flat=True)) if ordered else set()
    for item in items.values():
        if item.code not in kept:
            item.retired_after = latest_of[item.code]
        item.cells = [format_value(item.by_year[year]) if year in item.by_year else "—" for year in ordered]
        item.last_change = item.change(ordered[-2], ordered[-1]) if len(ordered) > 1 else None
    sectors: dict[int, SectorYears] = {}
    for item in sorted(items.values(), key=lambda i: (i.indicator.sector.order, i.indicator.order, i.code)):
        sectors.setdefault(item.indicator.sector_id, SectorYears(sector=item.indicator.sector, items=[])) \
            .items.append(item)
    return ValuesAcrossYears(years=ordered, sectors=list(sectors.values()))

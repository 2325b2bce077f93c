"""Open data: the certified aggregates of the public sectors over every active LAO, by province, district and LAO
type, computed by the dashboards' data-view selector. A figure over fewer than OPEN_DATA_MIN_LAOS LAOs is
suppressed: its row stays, its total and mean do not."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Max

from certification.models import ReportEvent
from dashboards import selectors as dashboards
from dashboards.selectors import GroupBy, Level, Scope
from opendata.models import PUBLIC_SECTOR_ORDER, PublicSector
from organizations.models import LAO
from sectors.models import FiscalYear, Indicator, ReportStatus, Sector


@dataclass(frozen=True)
class PublicRow:
    group_by: str
    code: str
    label: str
    parent: str
    laos: int
    total: Decimal | None  # None: suppressed
    average: Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.total is None


def public_sectors() -> list[Sector]:
    return [p.sector for p in PublicSector.objects.select_related("sector").order_by(*PUBLIC_SECTOR_ORDER)]


def published_years() -> list[FiscalYear]:
    """The fiscal years with at least one certified report."""
    return list(FiscalYear.objects.filter(reports__status=ReportStatus.CERTIFIED).distinct().order_by("-be_year"))


def public_items(fiscal_year: FiscalYear, sector: Sector) -> list[Indicator]:
    return [item for item in dashboards.numeric_items(fiscal_year) if item.sector_id == sector.pk]


def _row(group_by: str, row, minimum: int) -> PublicRow:
    hidden = row.laos < minimum
    return PublicRow(group_by=group_by, code=row.code, label=row.label, parent=row.parent, laos=row.laos,
                     total=None if hidden else row.total, average=None if hidden else row.average)


def public_table(fiscal_year: FiscalYear, item: Indicator, group_by: str) -> tuple[list[PublicRow], PublicRow]:
    """The rows of one item by one grouping, and the national row, each suppressed below the threshold."""
    scope = Scope(Level.NATION, fiscal_year, LAO.objects.filter(is_active=True))
    table = dashboards.certified_values(scope, indicator=item, group_by=group_by, aggregate=dashboards.Aggregate.SUM)
    minimum = settings.OPEN_DATA_MIN_LAOS
    return [_row(group_by, row, minimum) for row in table.rows], _row("nation", table.overall, minimum)


def dataset_rows(fiscal_year: FiscalYear, sector: Sector):
    """Every numeric item of the sector by province, district and LAO type, then the nation: (item, row)."""
    for item in public_items(fiscal_year, sector):
        overall = None
        for group_by in GroupBy.values:
            rows, overall = public_table(fiscal_year, item, group_by)
            for row in rows:
                yield item, row
        if overall is not None:
            yield item, overall


def last_certified_at(fiscal_year: FiscalYear | None = None):
    events = ReportEvent.objects.all()
    if fiscal_year is not None:
        events = events.filter(report__fiscal_year=fiscal_year)
    return events.aggregate(at=Max("at"))["at"]

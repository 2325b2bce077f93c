"""Reads on the catalogue and on reports."""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db import router
from django.db.models import Count, F, Q, QuerySet

from info_portal.prepared import Prepared
from organizations.models import LAO
from sectors import values
from sectors.models import (
    FiscalYear,
    Indicator,
    IndicatorValue,
    ReportStatus,
    Sector,
    SectorReport,
    Severity,
    ValidationRule,
)
from sectors.rules import Rule, parse, sum_of


def current_fiscal_years():
    """The current fiscal year first, or else the latest: `current_fiscal_year` in one query, or as a subquery."""
    return FiscalYear.objects.order_by("-is_current", "-be_year")


def current_fiscal_year() -> FiscalYear | None:
    return current_fiscal_years().first()


def is_current_fiscal_year(fiscal_year_id: int) -> bool:
    """The year being recorded: the only one in which a sector not yet started may be started."""
    current = current_fiscal_year()
    return current is not None and current.pk == fiscal_year_id


@dataclass(frozen=True)
class Catalogue:
    """A fiscal year's items (by sector, in order), its rules parsed once, and the eight sectors; read-only.
    What each sector's pages ask of it (its rules, its sums) is worked out once, when the catalogue is read."""

    stamp: str
    items: dict[int, tuple[Indicator, ...]]
    rules: tuple[tuple[ValidationRule, Rule], ...]
    sectors: tuple[Sector, ...]
    codes_by_sector: dict[int, frozenset[str]] = field(default_factory=dict)
    _rules_by_sector: dict[int, tuple[tuple[ValidationRule, Rule], ...]] = field(default_factory=dict, repr=False)
    _sums_by_sector: dict[int, dict[str, tuple[str, ...]]] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for sector_id, own in self.codes_by_sector.items():
            ruled = tuple((rule, parsed) for rule, parsed in self.rules if parsed.codes & own)
            self._rules_by_sector[sector_id] = ruled
            sums = {}
            for rule, parsed in ruled:
                found = sum_of(parsed) if rule.severity == Severity.ERROR else None
                if found is not None and parsed.codes <= own:
                    sums[found[0]] = found[1]
            self._sums_by_sector[sector_id] = sums

    def rules_of_sector(self, sector_id: int) -> tuple[tuple[ValidationRule, Rule], ...]:
        """The rules that name an item of this sector (the only ones a report of it can break), parsed."""
        return self._rules_by_sector.get(sector_id, ())

    def sums_of_sector(self, sector_id: int) -> dict[str, tuple[str, ...]]:
        """The sector's items that are sums of its other items, by an error rule `a + b = total`: total → parts.
        Such a total is computed from its parts, never typed."""
        return self._sums_by_sector.get(sector_id, {})

    def codes_tied_to(self, code: str) -> frozenset[str]:
        """The item and every item rules tie to it, directly or through others: whose checks a change of this one
        can change, a total computed from it included (a changed part changes the total, which other rules name)."""
        tied, frontier = {code}, {code}
        while frontier:
            reached = frozenset().union(*(parsed.codes for _rule, parsed in self.rules if parsed.codes & frontier))
            frontier = reached - tied
            tied |= frontier
        return frozenset(tied)

    def codes_from_other_sectors(self, sector_id: int) -> frozenset[str]:
        """Items of other sectors that this sector's rules name: the only other values a check needs."""
        own = self.codes_by_sector.get(sector_id, frozenset())
        return frozenset().union(*(parsed.codes for _rule, parsed in self.rules_of_sector(sector_id))) - own


# Catalogues by (fiscal year id, stamp). A catalogue changes only by a new stamp (database triggers), so an entry is
# never stale; the oldest entries are dropped past a few fiscal years' worth.
_CATALOGUES: "OrderedDict[tuple[int, str], Catalogue]" = OrderedDict()
_CATALOGUES_KEPT = 16
_CATALOGUES_LOCK = threading.Lock()


def catalogue_of(fiscal_year: FiscalYear) -> Catalogue:
    """The year's catalogue, read from the database once per change of its stamp and kept in memory."""
    key = (fiscal_year.pk, fiscal_year.catalogue_stamp)
    with _CATALOGUES_LOCK:
        found = _CATALOGUES.get(key)
        if found is not None:
            _CATALOGUES.move_to_end(key)
            return found
    # Read the stamp again with the rows: a change between the two reads keys them under the newer stamp.
    stamp = FiscalYear.objects.filter(pk=fiscal_year.pk).values_list("catalogue_stamp", flat=True).first()
    items: dict[int, list[Indicator]] = {}
    for item in Indicator.objects.filter(fiscal_year_id=fiscal_year.pk).order_by("sector_id", "order", "code"):
        items.setdefault(item.sector_id, []).append(item)
    rules = tuple((rule, parse(rule.expression))
                  for rule in ValidationRule.objects.filter(fiscal_year_id=fiscal_year.pk))
    catalogue = Catalogue(
        stamp=stamp or "", items={sector: tuple(found) for sector, found in items.items()}, rules=rules,
        sectors=tuple(Sector.objects.order_by("order")),
        codes_by_sector={sector: frozenset(i.code for i in found) for sector, found in items.items()},
    )
    if stamp == fiscal_year.catalogue_stamp:
        with _CATALOGUES_LOCK:
            _CATALOGUES[key] = catalogue
            while len(_CATALOGUES) > _CATALOGUES_KEPT:
                _CATALOGUES.popitem(last=False)
    return catalogue


def indicators_for(report: SectorReport) -> list[Indicator]:
    """The items of the report's sector in its year's catalogue that apply to the LAO's type, in order."""
    items = catalogue_of(report.fiscal_year).items.get(report.sector_id, ())
    return [i for i in items if i.applies_to(report.lao.lao_type)]


@dataclass
class ReportInputs:
    """What a page or a check of one report reads besides the catalogue: its stored rows, last year's certified
    values of the same sector, and the LAO's values of other sectors that this sector's rules name."""

    rows: dict[str, IndicatorValue]
    last_year: dict[str, Any]
    other_sectors: dict[str, Any]
    version: int | None = None  # the report's version as read before the rows: they are the rows of that version


def _inputs_rows(lao_id: int, sector_id: int, fiscal_year_id: int, be_year: int, others: tuple[str, ...],
                 report_id: int | None) -> QuerySet:
    wanted = Q(report__lao_id=lao_id, report__sector_id=sector_id, report__fiscal_year__be_year=be_year - 1,
               report__status=ReportStatus.CERTIFIED)
    if others:
        wanted |= Q(report__lao_id=lao_id, report__fiscal_year_id=fiscal_year_id, indicator__code__in=others) \
            & ~Q(report__sector_id=sector_id)
    if report_id:
        wanted |= Q(report_id=report_id)
    # Every branch is of the same LAO: said once more outside the ORs, so the database starts from the LAO's few
    # reports (an index) instead of joining every value of the nation and filtering.
    return IndicatorValue.objects.filter(wanted, report__lao_id=lao_id).select_related("indicator") \
        .annotate(fiscal_year_of_row=F("report__fiscal_year_id"))


def _inputs_params(lao_id: int, sector_id: int, fiscal_year_id: int, be_year: int, others: tuple[str, ...],
                   report_id: int | None) -> tuple:
    """The parameters of `_inputs_rows`, in the order of its SQL."""
    last_year = (be_year - 1, lao_id, sector_id, ReportStatus.CERTIFIED.value)
    other_sectors = (*others, fiscal_year_id, lao_id, sector_id) if others else ()
    own = (report_id,) if report_id else ()
    return (*last_year, *other_sectors, *own, lao_id)


# Every page, save and check reads them: compiled once for each shape, which is set by the number of other sectors'
# items the rules name and by whether the report's own rows are read.
_INPUTS = Prepared(_inputs_rows, _inputs_params,
                   shape=lambda _lao, _sector, _year, _be_year, others, report_id: (len(others), bool(report_id)))


def report_inputs(report: SectorReport, *, rows: bool = True) -> ReportInputs:
    """The report's inputs in one query, whatever the number of items (`rows=False`: without its own rows)."""
    others = tuple(sorted(catalogue_of(report.fiscal_year).codes_from_other_sectors(report.sector_id)))
    report_id = report.pk if rows else None
    found = ReportInputs(rows={}, last_year={}, other_sectors={}, version=report.version if report.pk else None)
    for row in _INPUTS.instances(report.lao_id, report.sector_id, report.fiscal_year_id, report.fiscal_year.be_year,
                                  others, report_id, using=router.db_for_read(IndicatorValue)):
        code = row.indicator.code
        if row.report_id == report.pk:
            found.rows[code] = row
        elif row.fiscal_year_of_row == report.fiscal_year_id:
            found.other_sectors[code] = values.read(row)
        else:
            found.last_year[code] = values.read(row)
    return found


def report_values(report: SectorReport) -> dict[str, Any]:
    """Typed stored values of a report, by item code."""
    rows = IndicatorValue.objects.filter(report=report).select_related("indicator")
    return {row.indicator.code: values.read(row) for row in rows}


def report_rows(report: SectorReport) -> dict[str, IndicatorValue]:
    rows = IndicatorValue.objects.filter(report=report).select_related("indicator")
    return {row.indicator.code: row for row in rows}


def other_sector_values(report: SectorReport) -> dict[str, Any]:
    """Stored values of the LAO's other sectors in the same year: for rules that span sectors."""
    rows = IndicatorValue.objects.filter(
        report__lao_id=report.lao_id, report__fiscal_year_id=report.fiscal_year_id
    ).exclude(report_id=report.pk).select_related("indicator")
    return {row.indicator.code: values.read(row) for row in rows}


def previous_certified_values(report: SectorReport) -> dict[str, Any]:
    """Last year's certified values of the same LAO and sector, by item code (empty if none)."""
    rows = IndicatorValue.objects.filter(
        report__lao_id=report.lao_id, report__sector_id=report.sector_id,
        report__fiscal_year__be_year=report.fiscal_year.be_year - 1, report__status=ReportStatus.CERTIFIED,
    ).select_related("indicator")
    return {row.indicator.code: values.read(row) for row in rows}


def lao_sector_cards(lao: LAO, fiscal_year: FiscalYear) -> list[dict]:
    """The eight sectors of an LAO for a year: status and how many required items are filled."""
    reports = {r.sector_id: r for r in SectorReport.objects.filter(lao=lao, fiscal_year=fiscal_year)}
    required: dict[int, int] = {}
    for item in Indicator.objects.filter(fiscal_year=fiscal_year, required=True).only("sector_id", "lao_types"):
        if item.applies_to(lao.lao_type):
            required[item.sector_id] = required.get(item.sector_id, 0) + 1
    filled = dict(
        IndicatorValue.objects.filter(report__in=reports.values(), indicator__required=True)
        .filter(Q(not_applicable=True) | Q(value_integer__isnull=False) | Q(value_decimal__isnull=False)
                | Q(value_bool__isnull=False) | ~Q(value_text=""))
        .values_list("report__sector_id").annotate(n=Count("pk")).values_list("report__sector_id", "n")
    )
    return [
        {"sector": sector, "report": reports.get(sector.pk),
         "status": reports[sector.pk].status if sector.pk in reports else None,
         "required": required.get(sector.pk, 0), "filled": filled.get(sector.pk, 0)}
        for sector in Sector.objects.order_by("order")
    ]


def catalogue_locked(fiscal_year: FiscalYear | int | None) -> bool:
    """A year's items and rules are frozen once any of its reports is certified."""
    if fiscal_year is None:
        return False
    return SectorReport.objects.filter(fiscal_year=fiscal_year, status=ReportStatus.CERTIFIED).exists()


def sector_locked(sector: Sector | int | None) -> bool:
    """A sector's code is frozen once any of its reports is certified: the seal names it."""
    if sector is None:
        return False
    return SectorReport.objects.filter(sector=sector, status=ReportStatus.CERTIFIED).exists()

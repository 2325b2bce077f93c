"""Reads on the catalogue and on reports."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from organizations.models import LAO
from sectors import values
from sectors.models import (
    FiscalYear,
    Indicator,
    IndicatorValue,
    ReportStatus,
    Sector,
    SectorReport,
    ValidationRule,
)


def current_fiscal_year() -> FiscalYear | None:
    return FiscalYear.objects.filter(is_current=True).first() or FiscalYear.objects.order_by("-be_year").first()


def indicators_for(report: SectorReport) -> list[Indicator]:
    """The items of the report's sector in its year's catalogue that apply to the LAO's type, in order."""
    items = Indicator.objects.filter(fiscal_year_id=report.fiscal_year_id, sector_id=report.sector_id)
    return [i for i in items.order_by("order", "code") if i.applies_to(report.lao.lao_type)]


def rules_for(fiscal_year: FiscalYear) -> list[ValidationRule]:
    return list(ValidationRule.objects.filter(fiscal_year=fiscal_year))


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


def reports_of(laos: QuerySet[LAO], fiscal_year: FiscalYear) -> QuerySet[SectorReport]:
    return SectorReport.objects.filter(lao__in=laos, fiscal_year=fiscal_year)


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

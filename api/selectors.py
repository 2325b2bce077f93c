"""Reads of the API: certified values with their seal, completion of reports, and the date data last changed.

Only values of certified reports are ever read here; the seal is the report's current one (not superseded)."""

from datetime import datetime
from functools import cached_property

from django.db.models import F, FilteredRelation, Max, Q, QuerySet

from api.models import AgencyKey
from api.scope import lao_filter
from certification.models import ReportEvent, TransitionAction
from organizations.models import District, Province
from sectors.models import FiscalYear, Indicator, IndicatorKind, IndicatorValue, ReportStatus, Sector, SectorReport

# Codes of provinces, districts, years, sectors and items come from `Codes`, not from joins: a query of ten joins
# costs PostgreSQL more to plan than a page of 1,000 rows costs to run.
VALUE_FIELDS = {
    "lao": F("report__lao_id"),
    "lao_code": F("report__lao__dla_code"),
    "lao_type": F("report__lao__lao_type"),
    "province_id": F("report__lao__province_id"),
    "district_id": F("report__lao__district_id"),
    "fiscal_year_id": F("report__fiscal_year_id"),
    "sector_id": F("report__sector_id"),
    "seal_sha256": F("current_seal__sha256"),
    "certified_at": F("current_seal__certified_at"),
}
VALUE_COLUMNS = ("id", "report_id", "indicator_id", "value_integer", "value_decimal", "value_text", "value_bool",
                 "not_applicable")


class Codes:
    """The codes behind the ids of value rows, each table read once (at first use) per request."""

    @cached_property
    def provinces(self) -> dict[int, str]:
        return dict(Province.objects.values_list("id", "code"))

    @cached_property
    def districts(self) -> dict[int, str]:
        return dict(District.objects.values_list("id", "code"))

    @cached_property
    def years(self) -> dict[int, int]:
        return dict(FiscalYear.objects.values_list("id", "be_year"))

    @cached_property
    def sectors(self) -> dict[int, str]:
        return dict(Sector.objects.values_list("id", "code"))

    @cached_property
    def items(self) -> dict[int, tuple[str, str]]:
        return {pk: (code, kind) for pk, code, kind in Indicator.objects.values_list("id", "code", "kind")}

    def resolve(self, row: dict) -> dict:
        """The row with its province, district, fiscal_year, sector, item and kind."""
        row["province"] = self.provinces[row["province_id"]]
        row["district"] = self.districts.get(row["district_id"])
        row["fiscal_year"] = self.years[row["fiscal_year_id"]]
        row["sector"] = self.sectors[row["sector_id"]]
        row["item"], row["kind"] = self.items[row["indicator_id"]]
        return row


def certified_values(key: AgencyKey) -> QuerySet:
    """Rows (dicts) of every value of a certified report in the key's scope, with the report's seal; pass each
    through Codes.resolve."""
    return (IndicatorValue.objects
            .filter(lao_filter(key, "report__lao__"), report__status=ReportStatus.CERTIFIED)
            .annotate(current_seal=FilteredRelation(
                "report__seals", condition=Q(report__seals__superseded_at__isnull=True)))
            .values(*VALUE_COLUMNS, **VALUE_FIELDS))


def value_text(row: dict) -> str | None:
    """The value of a row as text: integers and decimals as digits, yes/no as true/false; None when missing."""
    if row["not_applicable"]:
        return None
    kind = row["kind"]
    if kind == IndicatorKind.INTEGER:
        typed = row["value_integer"]
    elif kind == IndicatorKind.DECIMAL:
        typed = row["value_decimal"]
        if typed is not None:
            typed = typed.normalize() if typed == typed.to_integral_value() else typed
            return format(typed, "f")
    elif kind == IndicatorKind.YES_NO:
        typed = row["value_bool"]
        return None if typed is None else ("true" if typed else "false")
    else:
        typed = row["value_text"] or None
    return None if typed is None else str(typed)


def _latest(action: str):
    return Max("events__at", filter=Q(events__action=action))


def completion(key: AgencyKey) -> QuerySet[SectorReport]:
    """Every report in the key's scope with its state and the dates of its steps; no values."""
    return (SectorReport.objects.filter(lao_filter(key, "lao__"))
            .select_related("lao__province", "lao__district", "sector", "fiscal_year")
            .annotate(submitted_at=_latest(TransitionAction.SUBMIT), verified_at=_latest(TransitionAction.VERIFY),
                      certified_at=_latest(TransitionAction.CERTIFY), returned_at=_latest(TransitionAction.RETURN),
                      reopened_at=_latest(TransitionAction.REOPEN)))


def reports_changed_at() -> datetime | None:
    """When a report last changed state anywhere: no certified value can be newer."""
    return ReportEvent.objects.aggregate(at=Max("at"))["at"]

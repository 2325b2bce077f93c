"""The page of one sector report, read once per request and handed to the form, the checks, the save and the render.

`sector_page` finds the report in the user's scope and reads, in one query, its stored rows, last year's certified
values and the other sectors' values that its rules name; the catalogue (items, parsed rules, sums) comes from
memory. A sector not started yet is not created by opening it: its page shows last year's certified values as
carried rows that are not stored, and the first save creates the report from them (services.report_save_first).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from info_portal.prepared import Prepared
from sectors import page_context, selectors, values
from sectors.checks import CheckResult, check_values
from sectors.forms import ReportForm
from sectors.models import FiscalYear, Indicator, IndicatorValue, Sector, SectorReport
from sectors.selectors import Catalogue, ReportInputs


@dataclass
class SectorPage:
    """One report's page: what it reads besides the request, read once."""

    report: SectorReport  # stored, or unsaved for a sector not started
    may_record: bool  # the user records this LAO's data
    inputs: ReportInputs
    catalogue: Catalogue
    indicators: list[Indicator] = field(init=False)

    def __post_init__(self):
        self._read_items()

    def _read_items(self) -> None:
        """The report's items and, for a sector not started, the rows its first save will start from."""
        self.indicators = selectors.indicators_for(self.report)
        if self.report.pk is None and self.editable:
            # What the first save will start from: last year's certified values, carried, not stored yet.
            self.inputs.rows = {row.indicator.code: row for row in values.carried_rows(
                report=self.report, indicators=self.indicators, previous=self.inputs.last_year)}

    @property
    def started(self) -> bool:
        return self.report.pk is not None

    @cached_property
    def is_current(self) -> bool:
        """The report's year is the one being recorded (asked only of a sector not started)."""
        return selectors.is_current_fiscal_year(self.report.fiscal_year_id)

    @property
    def editable(self) -> bool:
        """The user records it and it is a draft; a sector not started can be started only in the current year."""
        return self.may_record and self.report.is_editable and (self.started or self.is_current)

    @property
    def rows(self) -> Mapping[str, IndicatorValue]:
        return self.inputs.rows

    @property
    def last_year(self) -> dict[str, Any]:
        return self.inputs.last_year

    @cached_property
    def shown(self) -> dict[str, Any]:
        """What higher apps show on the page (sectors.page_context), asked once."""
        return page_context.report_context(self.report)

    @property
    def url(self) -> str:
        report = self.report
        return reverse("sectors:report", args=[report.lao_id, report.fiscal_year.be_year, report.sector.code])

    def form(self, data: Mapping[str, Any] | None = None) -> ReportForm:
        check_url = reverse("sectors:field_check", args=[self.report.lao_id, self.report.fiscal_year.be_year,
                                                         self.report.sector.code]) if self.editable else ""
        return ReportForm(data, indicators=self.indicators, rows=self.rows, version=self.report.version,
                          check_url=check_url, sums=self.catalogue.sums_of_sector(self.report.sector_id))

    def check(self, new_values: Mapping[str, Any], reasons: Mapping[str, str], *, for_submit: bool) -> CheckResult:
        """These values against the sector's rules, as parsed with the catalogue, and last year's values."""
        return check_values(
            indicators=self.indicators, values=new_values, other_sector_values=self.inputs.other_sectors,
            rules=self.catalogue.rules_of_sector(self.report.sector_id), last_year=self.inputs.last_year,
            reasons=reasons, lao_type=self.report.lao.lao_type, for_submit=for_submit,
        )

    def check_stored(self) -> CheckResult:
        """The checks of the values as the page shows them before any input (nothing to say of an empty page)."""
        if not self.rows:
            return CheckResult()
        typed = {code: values.read(row) for code, row in self.rows.items()}
        return self.check(typed, {code: row.change_reason for code, row in self.rows.items()}, for_submit=False)

    def reread(self) -> None:
        """After someone else's write: the report's version and state, and its rows, as they are now."""
        if self.started:
            self.report.refresh_from_db(fields=["version", "updated_at", "updated_by", "status"])
        self.inputs = selectors.report_inputs(self.report)
        self._read_items()
        self.__dict__.pop("shown", None)


def page_of(report: SectorReport, *, may_record: bool) -> SectorPage:
    """The page of a report whose LAO, sector and year are loaded with it."""
    return SectorPage(report=report, may_record=may_record, inputs=selectors.report_inputs(report),
                      catalogue=selectors.catalogue_of(report.fiscal_year))


def _report_in_scope(lao_id: int, year: int, sector_code: str, user: User, action: Action, *_scope) -> QuerySet:
    return SectorReport.objects.select_related("lao__province", "lao__district", "fiscal_year", "sector",
                                               "updated_by") \
        .filter(lao_id=lao_id, lao_id__in=policy.lao_ids_for(user, action), fiscal_year__be_year=year,
                sector__code=sector_code).order_by("pk")[:1]


# Every save and check asks it: while the user's LAOs are a subquery of their grants (of one shape whatever the
# user), the query is compiled once; the ids held in memory vary its shape, and it is then compiled each time.
_REPORT_IN_SCOPE = Prepared(_report_in_scope, params=lambda lao_id, year, sector_code, user, action, scope: (
    year, lao_id, *scope, sector_code))


def sector_page(user: User, lao_id: int, year: int, sector_code: str, action: Action) -> SectorPage:
    """The page of the LAO's report of the sector and year. A stored report the user may `action` on comes in one
    query that asks the policy too; otherwise the LAO, year and sector are looked up one by one (404 outside the
    user's scope, 403 for a write by someone who does not record it): the LAO has no report of that sector and
    year, and the page is of a sector not started."""
    scope = policy.lao_ids_for_params(user, action)
    if scope is not None:
        report = _REPORT_IN_SCOPE.instance(lao_id, year, sector_code, user, action, scope,
                                           using=router.db_for_read(SectorReport))
    else:
        report = _report_in_scope(lao_id, year, sector_code, user, action).first()
    if report is not None:
        may_record = action == Action.RECORD or policy.can(user, Action.RECORD, report.lao)
        return page_of(report, may_record=may_record)
    lao = policy.lao_or_404(user, lao_id)
    fiscal_year = get_object_or_404(FiscalYear, be_year=year)
    sector = get_object_or_404(Sector, code=sector_code)
    may_record = policy.can(user, Action.RECORD, lao)
    if action == Action.RECORD and not may_record:
        raise PermissionDenied
    return page_of(SectorReport(lao=lao, sector=sector, fiscal_year=fiscal_year), may_record=may_record)

"""Writes on reports: opening them with last year's certified values, and saving values with a lost-update guard."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from organizations.models import LAO
from sectors import selectors, values
from sectors.checks import CheckResult, check_values
from sectors.models import (
    Channel,
    FiscalYear,
    Indicator,
    IndicatorValue,
    Sector,
    SectorReport,
    ValueChange,
)


class ReportConflict(Exception):
    """Someone saved the report after the form was opened."""

    def __init__(self, *, changed_by: User | None, changed_at: datetime, version: int):
        super().__init__("report changed since it was opened")
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.version = version


class ReportNotEditable(Exception):
    """The report is no longer a draft (submitted, verified or certified)."""


def _carry_forward(report: SectorReport) -> None:
    """Copy the previous year's certified values of the same items, marked as carried."""
    previous = selectors.previous_certified_values(report)
    if not previous:
        return
    IndicatorValue.objects.bulk_create(values.carried_rows(report=report, indicators=selectors.indicators_for(report),
                                                           previous=previous))


def report_open(*, lao: LAO, sector: Sector, fiscal_year: FiscalYear) -> SectorReport:
    """The LAO's report of the sector and year, created on first use from last year's certified values."""
    report = SectorReport.objects.filter(lao=lao, sector=sector, fiscal_year=fiscal_year).first()
    if report is not None:
        return report
    try:
        with transaction.atomic():
            report = SectorReport.objects.create(lao=lao, sector=sector, fiscal_year=fiscal_year)
            _carry_forward(report)
    except IntegrityError:  # opened at the same moment by someone else: use theirs
        report = SectorReport.objects.get(lao=lao, sector=sector, fiscal_year=fiscal_year)
    return report


@dataclass
class SaveResult:
    report: SectorReport
    checks: CheckResult
    changed: int


def report_check(*, report: SectorReport, new_values: Mapping[str, Any], reasons: Mapping[str, str],
                 for_submit: bool, indicators: list[Indicator] | None = None) -> CheckResult:
    """Check values (typed, by item code) against the catalogue for this report, without saving."""
    return check_values(
        indicators=selectors.indicators_for(report) if indicators is None else indicators,
        values=new_values,
        other_sector_values=selectors.other_sector_values(report),
        rules=selectors.rules_for(report.fiscal_year),
        last_year=selectors.previous_certified_values(report),
        reasons=reasons,
        lao_type=report.lao.lao_type,
        for_submit=for_submit,
    )


@transaction.atomic
def report_save(
    *,
    report_id: int,
    user: User,
    expected_version: int,
    new_values: Mapping[str, Any],
    reasons: Mapping[str, str] | None = None,
    channel: str = Channel.FORM,
    confirm_unchanged: bool = False,
    confirm_codes: Collection[str] | None = None,
) -> SaveResult:
    """Save a draft's values (typed, by item code). Refused if the user is not its recorder, if it is not a
    draft, or if anyone saved it since `expected_version` was read: nothing is then written.
    `confirm_unchanged` keeps the carried values as this year's: all of them, or those of `confirm_codes` only."""
    reasons = reasons or {}

    def confirms(code: str) -> bool:
        return confirm_unchanged and (confirm_codes is None or code in confirm_codes)

    report = SectorReport.objects.select_for_update(of=("self",)) \
        .select_related("lao", "fiscal_year", "sector", "updated_by") \
        .get(pk=report_id)
    if not policy.can(user, Action.RECORD, report.lao):
        raise PermissionDenied
    if not report.is_editable:
        raise ReportNotEditable
    if report.version != expected_version:
        raise ReportConflict(changed_by=report.updated_by, changed_at=report.updated_at, version=report.version)

    indicators = {i.code: i for i in selectors.indicators_for(report)}
    rows = {row.indicator.code: row for row in report.values.select_related("indicator")}
    now = timezone.now()
    planned = values.rows_apply(report=report, indicators=indicators, rows=rows, new_values=new_values,
                                reasons=reasons, confirms=confirms, now=now)
    to_create, to_update, changes = planned.create, planned.update, planned.changes
    if confirm_unchanged:
        # One click keeps the carried values as this year's: they stop being marked as carried.
        updating = {row.pk for row in to_update}
        for code, row in rows.items():
            if row.carried_forward and confirms(code) and row.pk not in updating:
                row.carried_forward = False
                to_update.append(row)
    IndicatorValue.objects.bulk_create(to_create)
    IndicatorValue.objects.bulk_update(
        to_update, ["value_integer", "value_decimal", "value_text", "value_bool", "not_applicable",
                    "carried_forward", "change_reason", "updated_at"])
    ValueChange.objects.bulk_create([
        ValueChange(value=row, old=old, new=new, changed_by=user, channel=channel) for row, old, new in changes
    ])
    # The row is locked: the version read above plus one is the version now stored.
    report.version += 1
    report.updated_by, report.updated_at = user, now
    report.unchanged_confirmed = (confirm_unchanged and confirm_codes is None) or (report.unchanged_confirmed
                                                                                  and not changes)
    SectorReport.objects.filter(pk=report.pk).update(
        version=report.version, updated_by=user, updated_at=now, unchanged_confirmed=report.unchanged_confirmed)
    current = {code: values.read(row) for code, row in rows.items()}
    current.update(new_values)
    checks = report_check(report=report, new_values=current, reasons=reasons, for_submit=False,
                          indicators=list(indicators.values()))
    return SaveResult(report=report, checks=checks, changed=len(changes))


"""Writes on reports: opening them with last year's certified values, and saving values with a lost-update guard."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
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
from sectors.workflow import EDITABLE_STATUSES


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
    inputs: selectors.ReportInputs  # the rows as saved, and what the checks read beside them


def report_check(*, report: SectorReport, new_values: Mapping[str, Any], reasons: Mapping[str, str],
                 for_submit: bool, indicators: list[Indicator] | None = None,
                 inputs: selectors.ReportInputs | None = None) -> CheckResult:
    """Check values (typed, by item code) against the catalogue for this report, without saving.
    `inputs`: last year's and the other sectors' values when the caller has read them already."""
    if inputs is None:
        inputs = selectors.report_inputs(report, rows=False)
    return check_values(
        indicators=selectors.indicators_for(report) if indicators is None else indicators,
        values=new_values,
        other_sector_values=inputs.other_sectors,
        rules=selectors.catalogue_of(report.fiscal_year).rules_of_sector(report.sector_id),
        last_year=inputs.last_year,
        reasons=reasons,
        lao_type=report.lao.lao_type,
        for_submit=for_submit,
    )


def _refused(report_id: int, user: User) -> Exception:
    """Why a save found the report no longer as the form read it."""
    report = SectorReport.objects.select_related("updated_by") \
        .annotate(may_record=Exists(policy.laos_for(user, Action.RECORD).filter(pk=OuterRef("lao_id")))) \
        .get(pk=report_id)
    if not report.may_record:
        return PermissionDenied()
    if not report.is_editable:
        return ReportNotEditable()
    return ReportConflict(changed_by=report.updated_by, changed_at=report.updated_at, version=report.version)


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
    inputs: selectors.ReportInputs | None = None,
    report: SectorReport | None = None,
) -> SaveResult:
    """Save a draft's values (typed, by item code). Refused if the user is not its recorder, if it is not a
    draft, or if anyone saved it since `expected_version` was read: nothing is then written.
    `confirm_unchanged` keeps the carried values as this year's: all of them, or those of `confirm_codes` only.
    `report` and `inputs`: the report (with its LAO, sector and year) and its rows as the caller read them
    (selectors.report_inputs) at `expected_version`.

    One conditional UPDATE takes the row's lock, asks the policy and the status, and moves the version only if it
    is still `expected_version`; every write of values moves the version, so the rows read at that version are the
    rows stored, and the writes are planned on them."""
    reasons = reasons or {}

    def confirms(code: str) -> bool:
        return confirm_unchanged and (confirm_codes is None or code in confirm_codes)

    if report is None or report.pk != report_id:
        report = SectorReport.objects.select_related("lao", "fiscal_year", "sector").get(pk=report_id)
    if inputs is None or inputs.version != expected_version:
        inputs = selectors.report_inputs(report)
    indicators = {i.code: i for i in selectors.indicators_for(report)}
    rows = inputs.rows
    now = timezone.now()
    carried = {code for code, row in rows.items() if row.carried_forward and confirms(code)}
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
    # A carried value kept as this year's is recorded too: the same value, through the carry-forward channel.
    changed = {id(row) for row, _, _ in changes}
    confirmed = [(row, values.to_json(values.read(row)), values.to_json(values.read(row)))
                 for code, row in rows.items() if code in carried and id(row) not in changed]
    stamp: dict[str, Any] = {"version": F("version") + 1, "updated_by": user, "updated_at": now}
    if confirm_unchanged and confirm_codes is None:
        stamp["unchanged_confirmed"] = True
    elif changes:
        stamp["unchanged_confirmed"] = False
    moved = SectorReport.objects.filter(
        pk=report_id, version=expected_version, status__in=EDITABLE_STATUSES,
        lao_id__in=policy.laos_for(user, Action.RECORD).values("pk"),
    ).update(**stamp)
    if not moved:
        raise _refused(report_id, user)
    if to_create or to_update:
        # New and changed rows in one INSERT … ON CONFLICT UPDATE, whatever the mix: the ids come back with it.
        for row in to_update:
            row.pk = None
        IndicatorValue.objects.bulk_create(
            to_create + to_update, update_conflicts=True, unique_fields=["report", "indicator"],
            update_fields=["value_integer", "value_decimal", "value_text", "value_bool", "not_applicable",
                           "carried_forward", "change_reason", "updated_at"])
    if changes or confirmed:
        ValueChange.objects.bulk_create([
            ValueChange(value=row, old=old, new=new, changed_by=user, channel=channel) for row, old, new in changes
        ] + [ValueChange(value=row, old=old, new=new, changed_by=user, channel=Channel.CARRY_FORWARD)
             for row, old, new in confirmed])
    # The row is locked: the version read plus one is the version now stored.
    report.version = expected_version + 1
    report.updated_by, report.updated_at = user, now
    report.unchanged_confirmed = stamp.get("unchanged_confirmed", report.unchanged_confirmed)
    inputs.version = report.version
    for row in to_create:
        rows[row.indicator.code] = row
    current = {code: values.read(row) for code, row in rows.items()}
    current.update(new_values)
    checks = report_check(report=report, new_values=current, reasons=reasons, for_submit=False,
                          indicators=list(indicators.values()), inputs=inputs)
    return SaveResult(report=report, checks=checks, changed=len(changes), inputs=inputs)


@transaction.atomic
def report_save_first(*, lao: LAO, sector: Sector, fiscal_year: FiscalYear, user: User, **save: Any) -> SaveResult:
    """The first save of a sector not started: its report is created from last year's certified values (as
    `report_open` does) and saved, in one transaction, so a refused save leaves no report behind. If someone
    started it at the same moment, the save is refused as a conflict unless `expected_version` is theirs."""
    report = report_open(lao=lao, sector=sector, fiscal_year=fiscal_year)
    report.lao, report.sector, report.fiscal_year = lao, sector, fiscal_year
    return report_save(report_id=report.pk, user=user, report=report, **save)

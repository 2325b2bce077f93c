"""Writes on many reports at once, for loaders such as a simulated round: the rules of sectors.services, in a few
queries whatever the number of reports.

Each service here does for a list what its namesake in sectors.services does for one report, through the same
functions (sectors.values.carried_rows, sectors.values.rows_apply), and is refused whole where the single one
would refuse any part of it.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q
from django.db.models.base import ModelState
from django.utils import timezone

from accounts.models import User
from accounts.policy import Action, PairPolicy
from info_portal.bulk import rows_insert, rows_update
from organizations.models import LAO
from sectors import selectors, values
from sectors.models import (
    Channel,
    FiscalYear,
    Indicator,
    IndicatorValue,
    ReportStatus,
    Sector,
    SectorReport,
    ValidationRule,
    ValueChange,
)
from sectors.rules import Rule
from sectors.services import ReportConflict, ReportNotEditable

VALUE_FIELDS = ("value_integer", "value_decimal", "value_text", "value_bool", "not_applicable", "carried_forward",
                "change_reason", "updated_at")
BATCH = 2000


class Catalogue:
    """A fiscal year's catalogue for a whole batch: the one sectors.selectors.catalogue_of reads and parses once,
    with its items also as one list (in catalogue order across sectors) and by id."""

    def __init__(self, fiscal_year: FiscalYear):
        self.fiscal_year = fiscal_year
        read = selectors.catalogue_of(fiscal_year)
        self.by_sector: Mapping[int, tuple[Indicator, ...]] = read.items
        self.items = sorted((item for items in read.items.values() for item in items), key=lambda i: (i.order, i.code))
        self.by_id = {item.pk: item for item in self.items}
        self.rules: tuple[tuple[ValidationRule, Rule], ...] = read.rules

    def indicators_for(self, report: SectorReport) -> list[Indicator]:
        """As sectors.selectors.indicators_for: the sector's items that apply to the LAO's type, in order."""
        return [i for i in self.by_sector.get(report.sector_id, ()) if i.applies_to(report.lao.lao_type)]


ROW_COLUMNS = ("pk", "report_id", "report__lao_id", "indicator_id", "indicator__code", "indicator__kind",
               "value_integer", "value_decimal", "value_text", "value_bool", "not_applicable", "carried_forward",
               "change_reason")


class ValueRows(dict[int, dict[str, IndicatorValue]]):
    """Value rows by report id and item code, and the LAO of each of those reports."""

    def __init__(self):
        super().__init__()
        self.lao_of: dict[int, int] = {}


def _loaded_row(item: Indicator, **columns: Any) -> IndicatorValue:
    """A row as the ORM would load it, without Model.__init__ (a tenth of its cost): its columns and its item."""
    row = IndicatorValue.__new__(IndicatorValue)
    row._state = ModelState()
    row._state.adding, row._state.db = False, DEFAULT_DB_ALIAS
    row.__dict__.update(columns)
    row._state.fields_cache["indicator"] = item
    return row


def value_rows(rows: Q, *, catalogue: Catalogue | None = None) -> ValueRows:
    """Value rows matching `rows`, read in one query without a model per join."""
    found = ValueRows()
    items: dict[int, Indicator] = dict(catalogue.by_id) if catalogue else {}
    for pk, report_id, lao_id, item_id, code, kind, *columns in \
            IndicatorValue.objects.filter(rows).values_list(*ROW_COLUMNS):
        item = items.get(item_id)
        if item is None:
            item = items[item_id] = Indicator(pk=item_id, code=code, kind=kind)
        row = _loaded_row(item, id=pk, report_id=report_id, indicator_id=item_id,
                          **dict(zip(ROW_COLUMNS[6:], columns, strict=True)))
        found.setdefault(report_id, {})[code] = row
        found.lao_of[report_id] = lao_id
    return found


def previous_certified_values(pairs: Iterable[tuple[int, int]], fiscal_year: FiscalYear
                              ) -> dict[tuple[int, int], dict[str, Any]]:
    """As sectors.selectors.previous_certified_values for many (LAO id, sector id) pairs: last year's certified
    typed values by item code."""
    pairs = set(pairs)
    if not pairs:
        return {}
    reports = dict(((lao_id, sector_id), pk) for pk, lao_id, sector_id in SectorReport.objects.filter(
        lao_id__in={lao for lao, _ in pairs}, sector_id__in={sector for _, sector in pairs},
        fiscal_year__be_year=fiscal_year.be_year - 1, status=ReportStatus.CERTIFIED,
    ).values_list("pk", "lao_id", "sector_id") if (lao_id, sector_id) in pairs)
    if not reports:
        return {}
    rows = value_rows(Q(report_id__in=list(reports.values())))
    return {pair: {code: values.read(row) for code, row in rows.get(pk, {}).items()} for pair, pk in reports.items()}


@transaction.atomic
def reports_open_bulk(*, pairs: Sequence[tuple[LAO, Sector]], fiscal_year: FiscalYear,
                      catalogue: Catalogue | None = None) -> dict[tuple[int, int], SectorReport]:
    """The reports of these (LAO, sector) pairs for the year, by (LAO id, sector id); those not there yet are
    created from last year's certified values, as report_open creates one."""
    catalogue = catalogue or Catalogue(fiscal_year)
    lao_ids, sector_ids = {lao.pk for lao, _ in pairs}, {sector.pk for _, sector in pairs}
    found = {(r.lao_id, r.sector_id): r for r in SectorReport.objects.filter(
        fiscal_year=fiscal_year, lao_id__in=lao_ids, sector_id__in=sector_ids)}
    new = [SectorReport(lao=lao, sector=sector, fiscal_year=fiscal_year) for lao, sector in pairs
           if (lao.pk, sector.pk) not in found]
    SectorReport.objects.bulk_create(new, batch_size=BATCH)
    previous = previous_certified_values(((r.lao_id, r.sector_id) for r in new), fiscal_year)
    carried = [row for report in new for row in values.carried_rows(
        report=report, indicators=catalogue.indicators_for(report), previous=previous.get(
            (report.lao_id, report.sector_id), {}))]
    rows_insert(IndicatorValue, carried)
    found.update({(r.lao_id, r.sector_id): r for r in new})
    return {(lao.pk, sector.pk): found[(lao.pk, sector.pk)] for lao, sector in pairs}


@dataclass(frozen=True)
class Save:
    report_id: int
    user: User
    expected_version: int
    new_values: Mapping[str, Any]
    reasons: Mapping[str, str] = field(default_factory=dict)


@transaction.atomic
def reports_save_bulk(*, saves: Sequence[Save], catalogue: Catalogue, channel: str = Channel.FORM) -> int:
    """Save the values of many drafts as report_save saves each: only by its recorder, only a draft, only at the
    version read; rows and changes where values change, the version moved on. One refusal refuses all.
    Returns the number of values changed."""
    if not saves:
        return 0
    reports = SectorReport.objects.select_for_update(of=("self",)).select_related("lao").in_bulk(
        [save.report_id for save in saves])
    policy = PairPolicy({report.lao_id for report in reports.values()})
    for save in saves:
        report = reports[save.report_id]
        if not policy.can(save.user, Action.RECORD, report.lao_id):
            raise PermissionDenied
        if not report.is_editable:
            raise ReportNotEditable
        if report.version != save.expected_version:
            raise ReportConflict(changed_by=report.updated_by, changed_at=report.updated_at, version=report.version)
    stored = value_rows(Q(report_id__in=list(reports)), catalogue=catalogue)
    now = timezone.now()
    to_create, to_update, changes = [], [], []
    for save in saves:
        report = reports[save.report_id]
        planned = values.rows_apply(
            report=report, indicators={i.code: i for i in catalogue.indicators_for(report)},
            rows=stored.get(report.pk, {}), new_values=save.new_values, reasons=save.reasons,
            confirms=lambda code: False, now=now)
        to_create += planned.create
        to_update += planned.update
        changes += [(save.user, row, old, new) for row, old, new in planned.changes]
        report.version += 1
        report.updated_by, report.updated_at = save.user, now
        report.unchanged_confirmed = report.unchanged_confirmed and not planned.changes
    rows_insert(IndicatorValue, to_create)
    rows_update(IndicatorValue, to_update, VALUE_FIELDS)
    rows_insert(ValueChange, [ValueChange(value_id=row.pk, old=old, new=new, changed_by_id=user.pk, channel=channel)
                              for user, row, old, new in changes])
    rows_update(SectorReport, [reports[save.report_id] for save in saves],
                ["version", "updated_by", "updated_at", "unchanged_confirmed"])
    return len(changes)

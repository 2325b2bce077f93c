"""What changed since a report's last seal: the difference a re-certification is about, item by item.

Five queries whatever the number of items: the last seal, the reopen that superseded it, the value rows, the value
changes since the reopen, and the catalogue.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from certification.display import catalogue_of, label, readable
from certification.models import CertificationSeal, ReportEvent, TransitionAction
from certification.seal import values_snapshot
from sectors import selectors as sector_selectors
from sectors.models import Indicator, SectorReport, ValueChange


@dataclass(frozen=True)
class ChangedValue:
    """One item whose value or reason differs from the last seal: the sealed and the new value, and who changed it,
    when and why."""

    code: str
    label: str
    unit: str
    old: str
    new: str
    reason: str  # the recorder's reason kept on the value
    changed_by: str = ""
    changed_at: datetime | None = None
    present: bool = True  # the value row still exists


@dataclass(frozen=True)
class Recertification:
    """A report reopened after its seal `seal`: the reopen and what changed since."""

    seal: CertificationSeal
    reopen: ReportEvent | None
    items: list[ChangedValue]

    @property
    def reason(self) -> str:
        return self.reopen.comment if self.reopen is not None else ""


def sealed_values(seal: CertificationSeal) -> dict[str, dict]:
    return json.loads(seal.canonical).get("values", {})


def changed_codes(old: dict[str, dict], new: dict[str, dict]) -> list[str]:
    """The codes whose value or reason differs between two snapshots."""
    return sorted(code for code in set(old) | set(new) if old.get(code) != new.get(code))


def snapshot_changes(old: dict[str, dict], new: dict[str, dict], catalogue: dict[str, Indicator]
                     ) -> list[ChangedValue]:
    """The items that differ between two sealed snapshots, in the catalogue's order."""
    order = {code: position for position, code in enumerate(catalogue)}
    items = []
    for code in sorted(changed_codes(old, new), key=lambda code: (order.get(code, len(order)), code)):
        indicator = catalogue.get(code)
        items.append(ChangedValue(
            code=code, label=label(code, catalogue), unit=indicator.display_unit if indicator else "",
            old=readable(old.get(code, {}).get("value"), indicator),
            new=readable(new.get(code, {}).get("value"), indicator),
            reason=(new.get(code) or {}).get("reason") or "", present=code in new))
    return items


def recertification_of(report: SectorReport) -> Recertification | None:
    """For a report reopened and not yet certified again: every item that differs from its last seal, with the
    last person who changed it since the reopen. None for a report never certified or certified now."""
    if report.pk is None:
        return None
    seal = CertificationSeal.objects.filter(report=report).select_related("certified_by").order_by("-number").first()
    if seal is None or seal.superseded_at is None:
        return None
    reopen = ReportEvent.objects.filter(report=report, action=TransitionAction.REOPEN, at__gte=seal.certified_at) \
        .select_related("actor").order_by("at", "pk").first()
    rows = sector_selectors.report_rows(report)
    since = reopen.at if reopen is not None else seal.superseded_at
    last_change: dict[int, ValueChange] = {}
    for change in ValueChange.objects.filter(value__report=report, changed_at__gte=since) \
            .select_related("changed_by").order_by("changed_at", "pk"):
        last_change[change.value_id] = change
    by_code = {code: last_change.get(row.pk) for code, row in rows.items()}
    items = []
    for item in snapshot_changes(sealed_values(seal), values_snapshot(rows), catalogue_of(report)):
        change = by_code.get(item.code)
        who = str(change.changed_by) if change is not None and change.changed_by is not None else ""
        items.append(ChangedValue(**{**item.__dict__, "changed_by": who,
                                     "changed_at": change.changed_at if change is not None else None}))
    return Recertification(seal=seal, reopen=reopen, items=items)

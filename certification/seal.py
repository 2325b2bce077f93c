"""The certification seal: a canonical JSON of a report's values and its SHA-256, and the check that recomputes it."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from certification.models import CertificationSeal, ReportEvent, TransitionAction
from sectors import selectors, values
from sectors.models import IndicatorValue, SectorReport, ValueChange

FORMAT = "info-portal/seal/1"


def values_snapshot(rows: Mapping[str, IndicatorValue]) -> dict[str, dict]:
    """The sealed form of a report's value rows, by item code."""
    return {code: {"value": values.to_json(values.read(row)), "reason": row.change_reason}
            for code, row in sorted(rows.items())}


def _values_of(report: SectorReport) -> dict[str, dict]:
    return values_snapshot(selectors.report_rows(report))


def canonical(payload: dict) -> str:
    """One byte-exact text per content: sorted keys, no spaces, UTF-8 Thai kept as it is."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def payload_for(report: SectorReport, *, certified_by: str, certified_at: datetime,
                rows: Mapping[str, IndicatorValue] | None = None, supersedes: CertificationSeal | None = None
                ) -> dict:
    """What a seal holds; `rows` are the report's value rows by code when the caller has them already. A seal that
    replaces an earlier one also names its own number and the number and hash of the one it replaces; a first seal
    does not, so the seals made before seals were numbered keep their exact text."""
    payload = {
        "format": FORMAT,
        "lao": {"id": report.lao_id, "dla_code": report.lao.dla_code, "name_th": report.lao.name_th},
        "sector": report.sector.code,
        "fiscal_year": report.fiscal_year.be_year,
        "certified_by": certified_by,
        "certified_at": certified_at.isoformat(),
        "values": _values_of(report) if rows is None else values_snapshot(rows),
    }
    if supersedes is not None:
        payload["number"] = supersedes.number + 1
        payload["supersedes"] = {"number": supersedes.number, "sha256": supersedes.sha256}
    return payload


@dataclass
class SealCheck:
    seal: CertificationSeal
    stored_hash: str
    current_hash: str
    seal_intact: bool  # the stored text still hashes to the stored hash
    changed_items: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.seal_intact and self.stored_hash == self.current_hash


def values_when_superseded(seal: CertificationSeal) -> dict[str, dict] | None:
    """The values a superseded seal guarded, as the reopen that superseded it read them from the value rows (the
    database refuses any change to a certified report's rows, so they were still the certified ones). For a reopen
    recorded before the values were kept on it: today's rows with every value change since the reopen undone, and
    the sealed reasons (a reason's changes leave no trail). None without a reopen."""
    reopen = ReportEvent.objects.filter(report_id=seal.report_id, action=TransitionAction.REOPEN,
                                        at__gte=seal.certified_at).order_by("at", "pk").first()
    if reopen is None:
        return None
    if reopen.sealed_values:
        return reopen.sealed_values
    return _replayed(seal, since=reopen.at)


def _replayed(seal: CertificationSeal, *, since: datetime) -> dict[str, dict]:
    stored = json.loads(seal.canonical)["values"]
    snapshot = _values_of(seal.report)
    for change in ValueChange.objects.filter(value__report_id=seal.report_id, changed_at__gt=since) \
            .select_related("value__indicator").order_by("-changed_at", "-pk"):
        snapshot.setdefault(change.value.indicator.code, {})["value"] = change.old
    replayed = {}
    for code, entry in snapshot.items():
        if code not in stored and entry.get("value") is None:
            continue  # a row made after the reopen
        replayed[code] = {"value": entry.get("value"), "reason": stored.get(code, {}).get("reason", "")}
    return replayed


def seal_check(seal: CertificationSeal) -> SealCheck:
    """Recompute the seal from the sector code and the fiscal year in the database now and from the values: the
    rows now for the current seal, the values the reopen read from the rows for a superseded one. Say whether they
    still match."""
    stored = json.loads(seal.canonical)
    report = seal.report
    if seal.superseded_at is None:
        checked = _values_of(report)
    else:
        checked = values_when_superseded(seal)
        if checked is None:  # nothing independent to recompute from: only the stored text is checked
            checked = stored["values"]
    current = dict(stored, sector=report.sector.code, fiscal_year=report.fiscal_year.be_year, values=checked)
    changed = sorted(code for code in set(stored["values"]) | set(current["values"])
                     if stored["values"].get(code) != current["values"].get(code))
    return SealCheck(seal=seal, stored_hash=seal.sha256, current_hash=digest(canonical(current)),
                     seal_intact=digest(seal.canonical) == seal.sha256, changed_items=changed)

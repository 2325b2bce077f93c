"""Progress over time toward the deadline, from the transition history: one grouped query.

Every event moves one report from `from_status` to `to_status`, so the number of reports in a state at the
end of a day is the running sum of the events into it minus the events out of it. One line per level of
the workflow: reports that have reached at least "submitted", at least "verified", and "certified".
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from certification.models import ReportEvent
from deadlines.models import ReportingRound
from deadlines.selectors import AppliedDeadline
from sectors.models import ReportStatus

LEVELS = (
    ("submitted", _("ส่งตรวจสอบแล้ว"), (ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.CERTIFIED)),
    ("verified", _("ตรวจสอบแล้ว"), (ReportStatus.VERIFIED, ReportStatus.CERTIFIED)),
    ("certified", _("รับรองแล้ว"), (ReportStatus.CERTIFIED,)),
)
# Past the deadline the chart runs on to today, but not for ever: a closed round stays readable.
MAX_DAYS_AFTER_DEADLINE = 45


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    counts: list[int]  # reports at this level at the end of each day

    def shares(self, expected: int) -> list[float]:
        return [n / expected if expected else 0.0 for n in self.counts]

    @property
    def last(self) -> int:
        return self.counts[-1] if self.counts else 0


@dataclass(frozen=True)
class Progress:
    days: list[date]
    lines: list[Line]
    expected: int
    opens_on: date | None
    record_by: date | None
    certify_by: date | None
    today: date

    @property
    def is_empty(self) -> bool:
        return not any(any(line.counts) for line in self.lines)


def _range(first_event: date | None, last_event: date | None, round_: ReportingRound | None,
           deadline: AppliedDeadline | None, today: date) -> tuple[date, date]:
    start = round_.opens_on if round_ is not None else (first_event or today)
    if first_event is not None:
        start = min(start, first_event)
    end = max(d for d in (deadline.certify_by if deadline else None, last_event, start) if d is not None)
    end = max(end, min(today, end + timedelta(days=MAX_DAYS_AFTER_DEADLINE)))
    return start, end


def progress_of(scope, *, expected: int, round_: ReportingRound | None, deadline: AppliedDeadline | None,
                today: date) -> Progress:
    """Daily counts of the scope's reports at each level, from the opening of the round (or the first event)."""
    flows: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    grouped = ReportEvent.objects.filter(report__fiscal_year=scope.fiscal_year, report__lao__in=scope.laos) \
        .annotate(day=TruncDate("at")).order_by().values_list("day", "from_status", "to_status") \
        .annotate(n=Count("pk"))
    for day, from_status, to_status, n in grouped:
        flows[day][to_status] += n
        flows[day][from_status] -= n
    days_with_events = sorted(flows)
    start, end = _range(days_with_events[0] if days_with_events else None,
                        days_with_events[-1] if days_with_events else None, round_, deadline, today)
    in_state: dict[str, int] = defaultdict(int)
    for day in days_with_events:  # events before the chart starts count from its first day
        if day < start:
            for status, n in flows[day].items():
                in_state[status] += n
    days, counts = [], {key: [] for key, _label, _states in LEVELS}
    day = start
    while day <= end:
        for status, n in flows.get(day, {}).items():
            in_state[status] += n
        days.append(day)
        for key, _label, states in LEVELS:
            counts[key].append(sum(in_state[s] for s in states))
        day += timedelta(days=1)
    return Progress(
        days=days, lines=[Line(key, str(label), counts[key]) for key, label, _states in LEVELS], expected=expected,
        opens_on=round_.opens_on if round_ else None, record_by=deadline.record_by if deadline else None,
        certify_by=deadline.certify_by if deadline else None, today=today,
    )

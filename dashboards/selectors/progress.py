"""Progress over time toward the deadline, from the transition history.

Every event moves one report from `from_status` to `to_status`, so the number of reports in a state at the
end of a day is the running sum of the events into it minus the events out of it. One line per level of
the workflow: reports that have reached at least "submitted", at least "verified", and "certified".

The days before today are read with one grouped query over the scope's whole history (a third of the
national page's time) and kept in the cache for PAST_DAYS_SECONDS; today's events are read on every request
(an index range on the event time), so every transition made through the services shows at once. Only an
event written with a past date (a simulated round, a bulk back-fill) or an LAO moved between units can take
up to PAST_DAYS_SECONDS to reach the chart.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
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
PAST_DAYS_SECONDS = 600


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
    """The round, from its opening to its certification deadline, on to today while it runs late (for at most
    MAX_DAYS_AFTER_DEADLINE); without a round, the days that have events. Earlier events count from the first day:
    the chart is never stretched over months in which nothing was due."""
    if round_ is not None:
        start = round_.opens_on
        end = deadline.certify_by if deadline is not None else round_.certify_by
    else:
        start = first_event or today
        end = last_event or start
    end = max(end, start)
    end = max(end, min(today, end + timedelta(days=MAX_DAYS_AFTER_DEADLINE)))
    return start, end


Flows = dict[date, dict[str, int]]


def _flows(events) -> Flows:
    """Net reports into (+) and out of (−) each state, per day."""
    flows: Flows = defaultdict(lambda: defaultdict(int))
    grouped = events.annotate(day=TruncDate("at")).order_by().values_list("day", "from_status", "to_status") \
        .annotate(n=Count("pk"))
    for day, from_status, to_status, n in grouped:
        flows[day][to_status] += n
        flows[day][from_status] -= n
    return flows


def _past_days_key(scope, events, today: date) -> str:
    """The query itself names the LAOs of the scope (and the user's reach), so two scopes never share an entry."""
    sql, params = events.query.sql_with_params()
    digest = hashlib.sha256(f"{sql}|{params}".encode()).hexdigest()[:32]
    return f"dashboards:progress:{scope.fiscal_year.pk}:{today.isoformat()}:{digest}"


def _scope_flows(scope, today: date) -> Flows:
    """The cached flows of the days before today, and today's read now."""
    events = ReportEvent.objects.filter(report__fiscal_year=scope.fiscal_year, report__lao__in=scope.laos)
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    key = _past_days_key(scope, events, today)
    past = cache.get(key)
    if past is None:
        past = {day: dict(by_state) for day, by_state in _flows(events.filter(at__lt=midnight)).items()}
        cache.set(key, past, PAST_DAYS_SECONDS)
    flows: Flows = defaultdict(lambda: defaultdict(int))
    for day, by_state in past.items():
        flows[day].update(by_state)
    for day, by_state in _flows(events.filter(at__gte=midnight)).items():
        for status, n in by_state.items():
            flows[day][status] += n
    return flows


def progress_of(scope, *, expected: int, round_: ReportingRound | None, deadline: AppliedDeadline | None,
                today: date) -> Progress:
    """Daily counts of the scope's reports at each level, from the opening of the round (or the first event)."""
    flows = _scope_flows(scope, today)
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

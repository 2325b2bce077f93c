"""The department's work list: national completion, the provinces by completion each with the course of its
certified share over the round, and the state of the round. Built on the dashboards' province rows; the course
is one grouped query over the transitions into and out of "certified"."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from accounts import policy
from accounts.models import User
from certification.models import ReportEvent
from dashboards.selectors import Funnel, Level, Scope, UnitRow, scope_laos
from dashboards.selectors.completion import province_rows
from deadlines.models import ReportingRound
from deadlines.selectors import AppliedDeadline, DeadlineBook, round_last_day, round_of
from sectors.models import FiscalYear, ReportStatus, Sector

SPARK_POINTS = 30  # at most this many points per line: one per day, or one per few days in a long round


class RoundState:
    NONE = "none"  # no round set for the year
    DRAFT = "draft"  # set, not yet published
    UPCOMING = "upcoming"  # published, opens later
    OPEN = "open"
    OVERDUE = "overdue"  # past the national certify-by date, still open
    CLOSED = "closed"


@dataclass
class ProvinceLine:
    row: UnitRow
    course: list[float] = field(default_factory=list)  # certified share of expected, oldest first


@dataclass
class NationWork:
    scope: Scope
    today: date
    total: Funnel
    laos_total: int
    laos_complete: int
    provinces: list[ProvinceLine]  # the lowest completion first
    round: ReportingRound | None
    round_state: str
    deadline: AppliedDeadline | None

    @property
    def days_left(self) -> int | None:
        return self.deadline.days_left(self.today) if self.deadline else None

    @property
    def laos_behind(self) -> int:
        return self.laos_total - self.laos_complete

    @property
    def provinces_overdue(self) -> int:
        return sum(1 for line in self.provinces if line.row.overdue)


def round_state(round_: ReportingRound | None, today: date) -> str:
    if round_ is None:
        return RoundState.NONE
    if round_.published_at is None:
        return RoundState.DRAFT
    if today < round_.opens_on:
        return RoundState.UPCOMING
    if today > round_last_day(round_):
        return RoundState.CLOSED
    return RoundState.OVERDUE if today > round_.certify_by else RoundState.OPEN


def _days(start: date, end: date) -> list[date]:
    """Up to SPARK_POINTS days from start to end, both included, evenly spread."""
    span = (end - start).days
    if span <= 0:
        return [end]
    step = max(1, -(-span // (SPARK_POINTS - 1)))
    days = [start + timedelta(days=offset) for offset in range(0, span, step)]
    return [*days, end]


def certified_courses(scope: Scope, rows: list[UnitRow], *, start: date, end: date) -> dict[int, list[float]]:
    """Each province's certified share at the end of each shown day from start to end: one grouped query."""
    events = ReportEvent.objects.filter(report__fiscal_year=scope.fiscal_year, report__lao__in=scope.laos) \
        .filter(Q(to_status=ReportStatus.CERTIFIED) | Q(from_status=ReportStatus.CERTIFIED))
    net: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for province_id, day, to_status, n in events.annotate(day=TruncDate("at")).order_by() \
            .values_list("report__lao__province_id", "day", "to_status").annotate(n=Count("pk")):
        net[province_id][day] += n if to_status == ReportStatus.CERTIFIED else -n
    shown = _days(start, end)
    courses = {}
    for row in rows:
        flows, expected = net.get(row.pk, {}), row.funnel.expected
        ordered = sorted(flows.items())
        running, index, course = 0, 0, []
        for day in shown:
            while index < len(ordered) and ordered[index][0] <= day:
                running += ordered[index][1]
                index += 1
            course.append(running / expected if expected else 0.0)
        courses[row.pk] = course
    return courses


def nation_work(user: User, *, fiscal_year: FiscalYear, today: date) -> NationWork | None:
    """The department's list of the fiscal year (the current one); None for anyone else."""
    if not policy.sees_nation(user):
        return None
    scope = Scope(Level.NATION, fiscal_year, scope_laos(user))
    round_ = round_of(fiscal_year)
    if round_ is not None:
        round_.fiscal_year = fiscal_year
    book = DeadlineBook(round_) if round_ is not None and round_.published_at else None
    sectors = list(Sector.objects.order_by("order"))
    rows = province_rows(scope, sectors, book=book, today=today, query="")
    total = Funnel()
    for row in rows:
        total.merge(row.funnel)
    start = round_.opens_on if round_ is not None else fiscal_year.dates.start
    courses = certified_courses(scope, rows, start=min(start, today), end=today)
    ordered = sorted(rows, key=lambda row: (row.funnel.completion, row.funnel.certified, row.code))
    return NationWork(
        scope=scope, today=today, total=total, laos_total=sum(row.lao_count for row in rows),
        laos_complete=sum(row.laos_complete for row in rows),
        provinces=[ProvinceLine(row, courses.get(row.pk, [])) for row in ordered], round=round_,
        round_state=round_state(round_, today), deadline=book.national if book else None,
    )

"""The recorder's work list: each LAO they record for, its sectors of the current fiscal year with their status,
the required items still empty, the deadline and the next step. A fixed number of queries whatever the number
of LAOs and reports."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.urls import reverse

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from deadlines.selectors import AppliedDeadline, DeadlineBook, round_of
from organizations.models import LAO
from sectors.models import FiscalYear, Indicator, IndicatorValue, ReportStatus, Sector, SectorReport
from sectors.selectors import catalogue_of
from sectors.workflow import pending_step

# The recorder's next step on a sector, most urgent first.
FIX, SUBMIT, CONTINUE, START = "fix", "submit", "continue", "start"
_URGENCY = (FIX, SUBMIT, CONTINUE, START)
MISSING_SHOWN = 3

FILLED = (Q(not_applicable=True) | Q(value_integer__isnull=False) | Q(value_decimal__isnull=False)
          | Q(value_bool__isnull=False) | ~Q(value_text=""))


@dataclass
class SectorLine:
    """One sector of one LAO: its status, the required items still empty and what the recorder does next."""

    sector: Sector
    status: str | None  # None: no report yet
    required: int
    missing: list[Indicator]
    url: str
    step: str = ""  # fix, submit, continue, start; "" when the sector waits for someone else

    @property
    def filled(self) -> int:
        return self.required - len(self.missing)

    @property
    def missing_shown(self) -> list[Indicator]:
        return self.missing[:MISSING_SHOWN]

    @property
    def missing_more(self) -> int:
        return max(len(self.missing) - MISSING_SHOWN, 0)

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label if self.status else ""


@dataclass
class LaoWork:
    lao: LAO
    fiscal_year: FiscalYear
    lines: list[SectorLine]
    deadline: AppliedDeadline | None
    today: date
    sectors_url: str

    @property
    def days_left(self) -> int | None:
        return self.deadline.days_left(self.today) if self.deadline else None

    @property
    def next_line(self) -> SectorLine | None:
        """The sector to open now: a return to fix first, then one ready to submit, one begun, one not begun."""
        for step in _URGENCY:
            for line in self.lines:
                if line.step == step:
                    return line
        return None

    def _count(self, *statuses: str | None) -> int:
        return sum(1 for line in self.lines if line.status in statuses)

    @property
    def returned(self) -> int:
        return self._count(ReportStatus.RETURNED)

    @property
    def drafts(self) -> int:
        return self._count(ReportStatus.DRAFT)

    @property
    def not_started(self) -> int:
        return self._count(None)

    @property
    def certified(self) -> int:
        return self._count(ReportStatus.CERTIFIED)

    @property
    def waiting_others(self) -> int:
        """Sectors sent on and not yet certified: they wait for the verifier or the head."""
        return sum(1 for line in self.lines if (step := pending_step(line.status)) is not None
                   and step.permission != Action.RECORD)


def _step(status: str | None, missing: int) -> str:
    pending = pending_step(status)
    if pending is None or pending.permission != Action.RECORD:
        return ""
    if pending.is_fix:
        return FIX
    if status is None:
        return START
    return CONTINUE if missing else SUBMIT


def recorder_work(user: User, *, fiscal_year: FiscalYear, today: date) -> list[LaoWork]:
    """The LAOs the user records for, each with its eight sectors of the fiscal year (the current one)."""
    laos = list(policy.laos_for(user, Action.RECORD).filter(is_active=True).order_by("name_th", "pk"))
    if not laos:
        return []
    round_ = round_of(fiscal_year)
    book = DeadlineBook(round_) if round_ is not None and round_.published_at else None
    reports = {(r.lao_id, r.sector_id): r for r in SectorReport.objects.filter(fiscal_year=fiscal_year, lao__in=laos)
               .only("pk", "lao_id", "sector_id", "status")}
    filled: set[tuple[int, int]] = set(
        IndicatorValue.objects.filter(report__in=[r.pk for r in reports.values()], indicator__required=True)
        .filter(FILLED).values_list("report_id", "indicator_id"))
    catalogue = catalogue_of(fiscal_year)
    year = fiscal_year.be_year
    work = []
    for lao in laos:
        lines = []
        for sector in catalogue.sectors:
            report = reports.get((lao.pk, sector.pk))
            required = [i for i in catalogue.items.get(sector.pk, ()) if i.required and i.applies_to(lao.lao_type)]
            missing = [i for i in required if report is None or (report.pk, i.pk) not in filled]
            status = report.status if report else None
            lines.append(SectorLine(sector=sector, status=status, required=len(required), missing=missing,
                                    url=reverse("sectors:report", args=[lao.pk, year, sector.code]),
                                    step=_step(status, len(missing))))
        work.append(LaoWork(lao=lao, fiscal_year=fiscal_year, lines=lines,
                            deadline=book.for_lao(lao) if book else None, today=today,
                            sectors_url=reverse("sectors:lao_sectors", args=[lao.pk, year])))
    return work

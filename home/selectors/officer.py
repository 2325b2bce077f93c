"""The district and provincial officers' work lists: for each unit they watch, its completion, the days to its
deadline, the LAOs overdue, the five furthest behind (to chase) and the extensions still running. Built on the
dashboards' LAO rows: a fixed number of queries per unit whatever the number of LAOs and reports."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from accounts import policy
from accounts.models import User
from dashboards.selectors import Funnel, Level, Scope, UnitRow, scope_laos
from dashboards.selectors.completion import lao_rows
from deadlines.models import Extension, ReportingRound
from deadlines.selectors import AppliedDeadline, DeadlineBook, round_of
from organizations.models import District, Province
from sectors.models import FiscalYear, ReportStatus, Sector

BEHIND_SHOWN = 5
# How far a sector has come, to rank LAOs: the lower the sum, the further behind.
_PROGRESS = {"not_started": 0, ReportStatus.DRAFT: 1, ReportStatus.RETURNED: 1, ReportStatus.SUBMITTED: 2,
             ReportStatus.VERIFIED: 3, ReportStatus.CERTIFIED: 4}


@dataclass
class OfficerWork:
    scope: Scope
    today: date
    total: Funnel
    laos_total: int
    laos_complete: int
    round: ReportingRound | None  # published
    deadline: AppliedDeadline | None
    overdue: list[UnitRow]  # LAOs past their deadline with sectors still uncertified
    behind: list[UnitRow]  # the furthest behind first
    extensions: list[Extension]  # running: their date has not passed

    @property
    def days_left(self) -> int | None:
        return self.deadline.days_left(self.today) if self.deadline else None

    @property
    def laos_behind(self) -> int:
        return self.laos_total - self.laos_complete

    @property
    def deadlines_url(self) -> str:
        """The internal deadline and extension page of this unit."""
        unit = self.scope.unit
        kind = "district" if isinstance(unit, District) else "province"
        return f"{reverse('deadlines:level')}?{kind}={unit.code}"


def _behind_key(row: UnitRow) -> tuple:
    return (sum(_PROGRESS.get(state, 0) for state in row.states), not row.overdue, row.code, row.name)


def _running_extensions(round_: ReportingRound, unit: Province | District, today: date) -> list[Extension]:
    """Extensions of the unit's LAOs and districts whose date has not passed."""
    extensions = Extension.objects.filter(round=round_, certify_by__gte=today)
    if isinstance(unit, Province):
        extensions = extensions.filter(lao__province=unit) | extensions.filter(district__province=unit)
    else:
        extensions = extensions.filter(lao__district=unit) | extensions.filter(district=unit)
    return list(extensions.select_related("lao", "district").order_by("certify_by", "pk"))


def unit_work(user: User, unit: Province | District, *, fiscal_year: FiscalYear, sectors: list[Sector],
              round_: ReportingRound | None, book: DeadlineBook | None, today: date) -> OfficerWork:
    """The work list of one province or district the user watches."""
    if isinstance(unit, Province):
        scope = Scope(Level.PROVINCE, fiscal_year, scope_laos(user, province=unit), province=unit)
        deadline = book.for_province(unit.pk) if book else None
    else:
        scope = Scope(Level.DISTRICT, fiscal_year, scope_laos(user, district=unit), province=unit.province,
                      district=unit)
        deadline = book.for_district(unit.pk, unit.province_id) if book else None
    rows = lao_rows(scope, sectors, book=book, today=today, year=fiscal_year.be_year)
    total = Funnel()
    for row in rows:
        total.merge(row.funnel)
    incomplete = [row for row in rows if not row.funnel.is_complete]
    return OfficerWork(
        scope=scope, today=today, total=total, laos_total=len(rows),
        laos_complete=sum(row.laos_complete for row in rows), round=round_, deadline=deadline,
        overdue=[row for row in rows if row.overdue], behind=sorted(incomplete, key=_behind_key)[:BEHIND_SHOWN],
        extensions=_running_extensions(round_, unit, today) if round_ else [],
    )


def officer_work(user: User, *, fiscal_year: FiscalYear, today: date) -> list[OfficerWork]:
    """One work list per province the user watches as provincial officer, then per district they watch as
    district officer outside those provinces. The department's own list is the nation's (home.selectors.nation)."""
    if policy.sees_nation(user) or not policy.oversees_any_unit(user):
        return []
    provinces = list(policy.provinces_overseen(user).order_by("code"))
    districts = list(policy.districts_overseen(user).exclude(province__in=[p.pk for p in provinces])
                     .select_related("province").order_by("code"))
    round_ = round_of(fiscal_year)
    if round_ is not None and round_.published_at is None:
        round_ = None  # officers see a round's deadlines once it is published
    book = DeadlineBook(round_) if round_ else None
    sectors = list(Sector.objects.order_by("order"))
    return [unit_work(user, unit, fiscal_year=fiscal_year, sectors=sectors, round_=round_, book=book, today=today)
            for unit in (*provinces, *districts)]

"""Completion of a scope: its funnel, the units one level down, and the unit × sector matrix.

Read with a fixed number of grouped queries whatever the number of LAOs: the nation groups reports by
province in SQL; a province or a district reads one (LAO, sector, status) row per report and adds them up.
"Not started" is a report that has no row yet; expected = LAOs in scope × sectors.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.urls import reverse

from dashboards.selectors.funnel import NOT_STARTED, STATE_LABELS, Funnel
from dashboards.selectors.progress import Progress, progress_of
from dashboards.selectors.scope import Level, Scope
from deadlines.models import ReportingRound
from deadlines.selectors import AppliedDeadline, DeadlineBook, published_book
from organizations.models import District, LAOType, Province
from sectors.models import ReportStatus, Sector, SectorReport


@dataclass
class UnitRow:
    """One unit one level down (a province, a district or an LAO) with its funnel and its deadline."""

    kind: str  # "province", "district" or "lao"
    pk: int
    code: str
    name: str
    url: str
    funnel: Funnel
    sectors: list[Funnel]  # one per sector, in sector order: the row of the matrix
    lao_count: int
    laos_complete: int
    deadline: AppliedDeadline | None
    today: date
    lao_type: str = ""
    district_name: str = ""
    district_code: str = ""
    states: list[str] = field(default_factory=list)  # an LAO's state of each sector, in sector order

    @property
    def days_left(self) -> int | None:
        return self.deadline.days_left(self.today) if self.deadline else None

    @property
    def overdue(self) -> bool:
        """Past the deadline that applies to it with sectors still uncertified."""
        return bool(self.deadline and self.deadline.is_overdue(self.today) and not self.funnel.is_complete)

    @property
    def lao_type_label(self) -> str:
        return LAOType(self.lao_type).label if self.lao_type else ""


@dataclass
class Dashboard:
    scope: Scope
    today: date
    sectors: list[Sector]
    total: Funnel
    sector_totals: list[Funnel]
    laos_total: int
    laos_complete: int
    rows: list[UnitRow]  # the units one level down, sorted as asked
    matrix: list[UnitRow]  # LAO × sector (province, district) or province × sector (nation)
    round: ReportingRound | None
    deadline: AppliedDeadline | None
    progress: Progress
    sort: str  # the key the rows are sorted by, "-" first when descending

    @property
    def days_left(self) -> int | None:
        return self.deadline.days_left(self.today) if self.deadline else None

    @property
    def overdue(self) -> bool:
        return bool(self.deadline and self.deadline.is_overdue(self.today) and not self.total.is_complete)

    @property
    def needed_per_day(self) -> float | None:
        """Sectors still to certify per day left, to finish by the deadline."""
        days = self.days_left
        if days is None or days < 0 or not self.total.remaining:
            return None
        return round(self.total.remaining / max(days, 1), 1)

    @property
    def overdue_rows(self) -> list[UnitRow]:
        return [row for row in self.rows if row.overdue]


SORT_KEYS = {
    # The province's own LAOs (the PAO) first, then each district followed by its LAOs, by code.
    "code": lambda row: (row.district_code if row.kind == "lao" else row.code, row.kind != "district", row.code,
                         row.name),
    "name": lambda row: row.name,
    "laos": lambda row: row.lao_count,
    "complete": lambda row: row.laos_complete,
    "completion": lambda row: (row.funnel.completion, row.funnel.certified),
    "certified": lambda row: row.funnel.certified,
    "not_started": lambda row: row.funnel.not_started,
    "days_left": lambda row: (row.days_left is None, row.days_left or 0),
    "overdue": lambda row: (row.overdue, -row.funnel.completion),
}


def sort_rows(rows: list[UnitRow], sort: str) -> tuple[list[UnitRow], str]:
    """Rows sorted by a key of SORT_KEYS, descending with a leading "-"; unknown keys sort by code."""
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        key, sort = "code", "code"
    by_code = sorted(rows, key=SORT_KEYS["code"])  # ties keep the order by code
    return sorted(by_code, key=SORT_KEYS[key], reverse=sort.startswith("-")), sort


def _scope_deadline(scope: Scope, book: DeadlineBook | None) -> AppliedDeadline | None:
    if book is None:
        return None
    if scope.district is not None:
        return book.for_district(scope.district.pk, scope.district.province_id)
    if scope.province is not None:
        return book.for_province(scope.province.pk)
    return book.national


def _reports(scope: Scope) -> QuerySet[SectorReport]:
    return SectorReport.objects.filter(fiscal_year=scope.fiscal_year, lao__in=scope.laos).order_by()


def _lao_url(year: int):
    """The URL of an LAO's sectors page, reversed once: a province's matrix links to hundreds of them."""
    pattern = reverse("sectors:lao_sectors", args=[_MARKER, year])
    return lambda pk: pattern.replace(str(_MARKER), str(pk), 1)


_MARKER = 987654321  # an id no LAO has yet, replaced in the reversed URL


def _cells() -> dict[str, Funnel]:
    """One read-only cell per state: every LAO's row shares them rather than building thousands of funnels."""
    return {state: Funnel(1, {} if state == NOT_STARTED else {state: 1}) for state in STATE_LABELS}


def lao_rows(scope: Scope, sectors: list[Sector], *, book: DeadlineBook | None, today: date,
             year: int) -> list[UnitRow]:
    """One row per LAO of the scope with the state of each sector: two queries."""
    laos = list(scope.laos.select_related("district").order_by()
                .only("pk", "name_th", "name_en", "dla_code", "lao_type", "province_id", "district__code",
                      "district__name_th", "district__name_en"))
    states: dict[int, dict[int, str]] = defaultdict(dict)
    for lao_id, sector_id, status in _reports(scope).values_list("lao_id", "sector_id", "status"):
        states[lao_id][sector_id] = status
    sector_ids = [sector.pk for sector in sectors]
    cells, url, empty = _cells(), _lao_url(year), {}
    rows = []
    for lao in laos:
        own = states.get(lao.pk, empty)
        row_states = [own.get(pk, NOT_STARTED) for pk in sector_ids]
        reported: dict[str, int] = {}
        for state in own.values():
            reported[state] = reported.get(state, 0) + 1
        funnel = Funnel(len(sectors), reported)
        district = lao.district
        rows.append(UnitRow(
            kind="lao", pk=lao.pk, code=lao.dla_code or "", name=lao.display_name, url=url(lao.pk), funnel=funnel,
            sectors=[cells[state] for state in row_states], lao_count=1, laos_complete=int(funnel.is_complete),
            deadline=book.for_lao(lao) if book else None, today=today, lao_type=lao.lao_type,
            district_name=district.display_name if district else "", district_code=district.code if district else "",
            states=row_states,
        ))
    rows.sort(key=SORT_KEYS["code"])
    return rows


def _sum_rows(members: list[UnitRow], sectors: list[Sector]) -> tuple[Funnel, list[Funnel]]:
    """The funnel and the per-sector cells of a set of LAO rows, counted from their states."""
    funnel = Funnel(len(sectors) * len(members))
    cells = [Funnel(len(members)) for _sector in sectors]
    for member in members:
        for cell, state in zip(cells, member.states, strict=True):
            if state != NOT_STARTED:
                cell.reported[state] = cell.reported.get(state, 0) + 1
    for cell in cells:
        for state, n in cell.reported.items():
            funnel.reported[state] = funnel.reported.get(state, 0) + n
    return funnel, cells


def district_rows(scope: Scope, laos: list[UnitRow], sectors: list[Sector], *, book: DeadlineBook | None,
                  today: date, query: str) -> list[UnitRow]:
    """The province's districts, each the sum of its LAOs' rows: one query for the districts' names."""
    by_code: dict[str, list[UnitRow]] = defaultdict(list)
    for row in laos:
        if row.district_code:
            by_code[row.district_code].append(row)
    rows = []
    for district in District.objects.filter(province=scope.province).order_by("code"):
        members = by_code.get(district.code, [])
        if not members:
            continue
        funnel, cells = _sum_rows(members, sectors)
        rows.append(UnitRow(
            kind="district", pk=district.pk, code=district.code, name=district.display_name,
            url=reverse("dashboards:district", args=[district.code]) + query, funnel=funnel, sectors=cells,
            lao_count=len(members), laos_complete=sum(m.laos_complete for m in members),
            deadline=book.for_district(district.pk, district.province_id) if book else None, today=today,
        ))
    return rows


def province_rows(scope: Scope, sectors: list[Sector], *, book: DeadlineBook | None, today: date,
                  query: str) -> list[UnitRow]:
    """The nation's provinces from grouped counts: four queries whatever the number of LAOs."""
    lao_counts = dict(scope.laos.order_by().values_list("province_id").annotate(n=Count("pk")))
    complete_laos = SectorReport.objects.filter(fiscal_year=scope.fiscal_year, status=ReportStatus.CERTIFIED) \
        .order_by().values("lao_id").annotate(n=Count("pk")).filter(n__gte=len(sectors)).values("lao_id")
    complete = dict(scope.laos.filter(pk__in=complete_laos).order_by().values_list("province_id")
                    .annotate(n=Count("pk"))) if sectors else {}
    counts: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    grouped = _reports(scope).values_list("lao__province_id", "sector_id", "status").annotate(n=Count("pk"))
    for province_id, sector_id, status, n in grouped:
        counts[province_id][(sector_id, status)] = n
    rows = []
    for province in Province.objects.filter(pk__in=list(lao_counts)).order_by("code"):
        n_laos = lao_counts[province.pk]
        cells = [Funnel(expected=n_laos) for _sector in sectors]
        index = {sector.pk: cell for sector, cell in zip(sectors, cells, strict=True)}
        for (sector_id, status), n in counts[province.pk].items():
            if sector_id in index:
                index[sector_id].add(status, n)
        funnel = Funnel()
        for cell in cells:
            funnel.merge(cell)
        rows.append(UnitRow(
            kind="province", pk=province.pk, code=province.code, name=province.display_name,
            url=reverse("dashboards:province", args=[province.code]) + query, funnel=funnel, sectors=cells,
            lao_count=n_laos, laos_complete=complete.get(province.pk, 0),
            deadline=book.for_province(province.pk) if book else None, today=today,
        ))
    return rows


def dashboard_of(scope: Scope, *, today: date, sort: str = "", query: str = "") -> Dashboard:
    """Every figure of one dashboard. `query` is the filter query string kept on the links one level down."""
    sectors = list(Sector.objects.order_by("order"))
    book = published_book(scope.fiscal_year)  # a round not yet announced holds nobody to its deadlines
    round_ = book.round if book is not None else None
    year = scope.fiscal_year.be_year
    if scope.level == Level.NATION:
        matrix = province_rows(scope, sectors, book=book, today=today, query=query)
        rows = list(matrix)
    else:
        matrix = lao_rows(scope, sectors, book=book, today=today, year=year)
        if scope.level == Level.PROVINCE:
            # The districts and the LAOs that answer to the province directly (the PAO).
            rows = district_rows(scope, matrix, sectors, book=book, today=today, query=query) \
                + [row for row in matrix if not row.district_code]
        else:
            rows = list(matrix)
    if scope.level == Level.NATION:
        total, sector_totals = Funnel(), [Funnel() for _sector in sectors]
        for row in matrix:
            total.merge(row.funnel)
            for cell, row_cell in zip(sector_totals, row.sectors, strict=True):
                cell.merge(row_cell)
    else:
        total, sector_totals = _sum_rows(matrix, sectors)
    rows, sort = sort_rows(rows, sort)
    deadline = _scope_deadline(scope, book)
    return Dashboard(
        scope=scope, today=today, sectors=sectors, total=total, sector_totals=sector_totals,
        laos_total=sum(row.lao_count for row in matrix), laos_complete=sum(row.laos_complete for row in matrix),
        rows=rows, matrix=matrix, round=round_, deadline=deadline,
        progress=progress_of(scope, expected=total.expected, round_=round_, deadline=deadline, today=today),
        sort=sort,
    )

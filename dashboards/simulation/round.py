"""A simulated reporting round for demos and benchmarks, written through the same services as real work.

Every demo LAO of the scope gets its three people, a pace, and for each sector a story: not started, a
draft, or submitted (perhaps returned and submitted again), verified and certified, each step dated
between the opening of the round and the simulated today. Steps that would fall after today do not
happen, so the spread of states is what the calendar allows. Each story is drawn first from the seed, then
written through the bulk services (sectors.bulk, certification.bulk: the rules of the services, a province per
transaction) or, one by one, through the services themselves (an LAO per transaction): both write the same
rows. An LAO that already has reports this year, or people of its own, is left alone, so running twice adds
nothing.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from random import Random
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.policy import Role
from certification import bulk as certification_bulk
from certification import services as certification
from certification.services import TransitionRefused
from dashboards.simulation import people
from dashboards.simulation.values import lao_year_values, sector_values
from deadlines import services as deadline_services
from deadlines.models import ReportingRound
from deadlines.selectors import round_of
from info_portal.thai import BE_OFFSET
from organizations.models import LAO, District, Province
from sectors import bulk as sector_bulk
from sectors import services as sector_services
from sectors.bulk import Catalogue
from sectors.models import FiscalYear, ReportStatus, Sector, SectorReport

BANGKOK_TZ = ZoneInfo("Asia/Bangkok")
WORKDAY_START_H, WORKDAY_HOURS = 8.5, 8.0
NOT_STARTED = "not_started"


@dataclass
class Outcome:
    laos: int = 0
    skipped: int = 0
    reports: int = 0
    events: int = 0
    officers: int = 0
    refused: int = 0
    states: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def default_round_dates(fiscal_year: FiscalYear) -> tuple[date, date, date]:
    """Opens 24 May, record by 10 June, certify by 15 June of the year the fiscal year ends (the 2564 letter)."""
    year = fiscal_year.be_year - BE_OFFSET
    return date(year, 5, 24), date(year, 6, 10), date(year, 6, 15)


def round_ensure(fiscal_year: FiscalYear) -> ReportingRound:
    """The year's round as the department set it, or one set now with the usual dates."""
    existing = round_of(fiscal_year)
    if existing is not None:
        return existing
    opens_on, record_by, certify_by = default_round_dates(fiscal_year)
    return deadline_services.round_set(actor=people.department_actor(), fiscal_year=fiscal_year, opens_on=opens_on,
                                       record_by=record_by, certify_by=certify_by)


class _Clock:
    """Working days from the opening: x days after opening is day ⌊x⌋ at 08:30 plus the fraction of 8 hours."""

    def __init__(self, opens_on: date, today: date):
        self.opens_on = opens_on
        self.limit = (today - opens_on).days + 1  # x below this falls on or before today

    def at(self, x: float) -> datetime:
        day = int(x)
        hours = WORKDAY_START_H + (x - day) * WORKDAY_HOURS
        start = datetime.combine(self.opens_on + timedelta(days=day), datetime.min.time(), tzinfo=BANGKOK_TZ)
        return start + timedelta(hours=hours)


def _target(pace: float, rng: Random) -> str:
    level = pace + rng.gauss(0, 0.15)
    if level < 0.12:
        return NOT_STARTED
    if level < 0.3:
        return ReportStatus.DRAFT
    if level < 0.42:
        return ReportStatus.SUBMITTED
    if level < 0.55:
        return ReportStatus.VERIFIED
    return ReportStatus.CERTIFIED


def _story(target: str, pace: float, start: float, rng: Random, *, finished: bool = False) -> list[tuple[str, float]]:
    """The steps (action, day offset) that lead to the target, with a return now and then (in a finished year
    always submitted again)."""
    if target in (NOT_STARTED, ReportStatus.DRAFT):
        return []
    x = start + rng.uniform(0.3, 5.0) * (1.4 - pace)
    steps = [("submit", x)]
    if rng.random() < 0.18:
        x += rng.uniform(0.2, 2.0)
        steps.append(("return", x))
        if rng.random() < 0.35 and not finished:
            return steps  # still with the recorder
        x += rng.uniform(0.5, 3.0)
        steps.append(("submit", x))
    if target in (ReportStatus.VERIFIED, ReportStatus.CERTIFIED):
        x += rng.uniform(0.1, 2.5)
        steps.append(("verify", x))
    if target == ReportStatus.CERTIFIED:
        x += rng.uniform(0.1, 3.0)
        steps.append(("certify", x))
    return steps


RETURN_COMMENT = "กรุณาตรวจสอบตัวเลขให้ตรงกับทะเบียนอีกครั้ง"
ACTOR = {"submit": Role.RECORDER, "return": Role.VERIFIER, "verify": Role.VERIFIER, "certify": Role.CERTIFIER}


@dataclass
class _SectorPlan:
    sector: Sector
    values: dict
    steps: list[tuple[str, float]]


@dataclass
class _LaoPlan:
    """One LAO's story, drawn before anything is written so both ways of writing it tell the same one."""

    lao: LAO
    people: list[people.Person]
    sectors: list[_SectorPlan]
    not_started: int = 0


def _plan(lao: LAO, *, fiscal_year: FiscalYear, sectors: list[Sector], catalogue: Catalogue, clock: _Clock,
          seed: int, finished: bool = False) -> _LaoPlan:
    """In a `finished` year every sector of every LAO ends certified."""
    key = people.lao_key(lao)
    rng = Random(f"{seed}:{fiscal_year.be_year}:{key}")
    plan = _LaoPlan(lao=lao, people=people.lao_people_drawn(lao, rng), sectors=[])
    pace = 0.0 if rng.random() < 0.06 and not finished else rng.betavariate(2.2, 1.6)
    start = rng.uniform(0, clock.limit * 0.5) * (1.2 - pace)
    known = lao_year_values(lao.lao_type, lao_key=key, be_year=fiscal_year.be_year, seed=seed, name=lao.name_th,
                            items=catalogue.items)
    for sector in sectors:
        target = NOT_STARTED if pace == 0 else _target(pace, rng)
        if finished:
            target = ReportStatus.CERTIFIED
        if target == NOT_STARTED:
            plan.not_started += 1
            continue
        steps = [(action, x) for action, x in _story(target, pace, start, rng, finished=finished)
                 if x < clock.limit]
        indicators = [i for i in catalogue.by_sector.get(sector.pk, []) if i.applies_to(lao.lao_type)]
        plan.sectors.append(_SectorPlan(sector=sector, steps=steps,
                                        values=sector_values(indicators, known, rng, complete=bool(steps))))
    return plan


def _act(action: str, report_id: int, who: dict[Role, object], at: datetime) -> str:
    """Take one step through its service; returns the report's new status."""
    actor = who[ACTOR[action]]
    if action == "submit":
        event = certification.report_submit(report_id=report_id, actor=actor, at=at)
    elif action == "return":
        event = certification.report_return(report_id=report_id, actor=actor, at=at, comment=RETURN_COMMENT)
    elif action == "verify":
        event = certification.report_verify(report_id=report_id, actor=actor, at=at)
    else:
        event = certification.report_certify(report_id=report_id, actor=actor, at=at).event
    return event.to_status


def _count(outcome: Outcome, state: str, n: int = 1) -> None:
    if n:
        outcome.states[state] = outcome.states.get(state, 0) + n


def _simulate_lao(plan: _LaoPlan, *, fiscal_year: FiscalYear, clock: _Clock, outcome: Outcome,
                  demo_accounts: bool = False) -> None:
    """One LAO's story through the services, one report and one step at a time."""
    who = people.lao_people(plan.lao, plan.people, demo_accounts=demo_accounts)
    _count(outcome, NOT_STARTED, plan.not_started)
    for planned in plan.sectors:
        report = sector_services.report_open(lao=plan.lao, sector=planned.sector, fiscal_year=fiscal_year)
        sector_services.report_save(report_id=report.pk, user=who[Role.RECORDER], expected_version=report.version,
                                    new_values=planned.values)
        outcome.reports += 1
        status = report.status
        try:
            for action, x in planned.steps:
                status = _act(action, report.pk, who, clock.at(x))
                outcome.events += 1
        except TransitionRefused:
            outcome.refused += 1  # the catalogue asks for something the generator does not fill: left as it is
        _count(outcome, status)


def _simulate_batch(plans: list[_LaoPlan], *, fiscal_year: FiscalYear, sectors: list[Sector], catalogue: Catalogue,
                    clock: _Clock, outcome: Outcome, demo_accounts: bool = False) -> None:
    """Many LAOs' stories through the bulk services, a sector at a time, so each step sees the values it would
    see when taken one by one: those of its own report and of the sectors before it."""
    who = people.lao_people_bulk({plan.lao: plan.people for plan in plans}, demo_accounts=demo_accounts)
    for plan in plans:
        _count(outcome, NOT_STARTED, plan.not_started)
    for sector in sectors:
        todo = [(plan.lao, planned) for plan in plans for planned in plan.sectors if planned.sector == sector]
        if not todo:
            continue
        reports = sector_bulk.reports_open_bulk(pairs=[(lao, sector) for lao, _ in todo], fiscal_year=fiscal_year,
                                                catalogue=catalogue)
        opened = [(lao, planned, reports[(lao.pk, sector.pk)]) for lao, planned in todo]
        sector_bulk.reports_save_bulk(saves=[
            sector_bulk.Save(report_id=report.pk, user=who[lao.pk][Role.RECORDER], expected_version=report.version,
                             new_values=planned.values) for lao, planned, report in opened], catalogue=catalogue)
        done = certification_bulk.reports_transition_bulk(catalogue=catalogue, steps=[
            certification_bulk.Step(report_id=report.pk, action=action, actor=who[lao.pk][ACTOR[action]],
                                    at=clock.at(x), comment=RETURN_COMMENT if action == "return" else "")
            for lao, planned, report in opened for action, x in planned.steps])
        outcome.reports += len(opened)
        outcome.events += len(done.events)
        outcome.refused += len(done.refused)
        for _lao, _planned, report in opened:
            _count(outcome, done.statuses.get(report.pk, report.status))


def round_simulate(*, fiscal_year: FiscalYear, today: date, seed: int = 2568, province_code: str | None = None,
                   district_code: str | None = None, one_by_one: bool = False, finished: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Fill the eight reports of every demo LAO of the nation (or of one province or district): through the bulk
    services, a province per transaction, or with `one_by_one` through the services an LAO per transaction.
    A `finished` year ends with every report certified, and its demo accounts (who sign in only in the embedded
    set-up) take their own LAO's steps: the year before the demo's, closed."""
    started = time.perf_counter()
    round_ = round_ensure(fiscal_year)
    outcome = Outcome()
    provinces, districts = Province.objects.all(), District.objects.all()
    if district_code:
        districts = districts.filter(code=district_code)
        provinces = provinces.filter(districts__in=districts)
    elif province_code:
        provinces = provinces.filter(code=province_code)
        districts = districts.filter(province__in=provinces)
    outcome.officers = people.officers_ensure(provinces, districts)
    laos = LAO.objects.filter(is_demo=True, is_active=True, province__in=provinces).select_related("province")
    if district_code:
        laos = laos.filter(district__in=districts)
    has_reports = set(SectorReport.objects.filter(fiscal_year=fiscal_year, lao__in=laos)
                      .values_list("lao_id", flat=True).distinct())
    own_people = people.laos_with_own_people(laos, demo_accounts=finished)
    sectors = list(Sector.objects.order_by("order"))
    catalogue = Catalogue(fiscal_year)
    clock = _Clock(round_.opens_on, today)
    todo = [lao for lao in laos.order_by("province__code", "dla_code", "pk")
            if lao.pk not in has_reports and lao.pk not in own_people]
    outcome.skipped = laos.count() - len(todo)
    for batch in ([[lao] for lao in todo] if one_by_one else _by_province(todo)):
        plans = [_plan(lao, fiscal_year=fiscal_year, sectors=sectors, catalogue=catalogue, clock=clock, seed=seed,
                       finished=finished) for lao in batch]
        with transaction.atomic():
            if one_by_one:
                _simulate_lao(plans[0], fiscal_year=fiscal_year, clock=clock, outcome=outcome, demo_accounts=finished)
            else:
                _simulate_batch(plans, fiscal_year=fiscal_year, sectors=sectors, catalogue=catalogue, clock=clock,
                                outcome=outcome, demo_accounts=finished)
        outcome.laos += len(batch)
        if progress is not None:
            progress(outcome.laos, len(todo))
    outcome.seconds = time.perf_counter() - started
    return outcome


def _by_province(laos: list[LAO]) -> list[list[LAO]]:
    batches: dict[int, list[LAO]] = {}
    for lao in laos:
        batches.setdefault(lao.province_id, []).append(lao)
    return list(batches.values())

"""The demo around a day: last fiscal year closed and certified, this year's round published and part-way through.

For the day D (Buddhist-Era fiscal years, 1 October to 30 September):
- last year: its round (24 May, 10 June, 15 June, closed with the year) published, and every demo LAO of the
  province with its eight sectors certified and sealed, its demo accounts taking their own LAO's steps, so this
  year's forms show last year's values and carry them forward;
- this year's catalogue: last year's with the changes of fixtures/catalogue_changes_demo.json (an item added, one
  retired, one renamed), as the department would open a year with `open_fiscal_year --changes`;
- this year: the round opened three weeks before D, recording due two weeks after D and certifying three weeks
  after, published the day it opened; the province's LAOs part-way through it up to the day before D; the province
  and the demo accounts' districts with earlier internal deadlines still ahead, one other district with an internal
  deadline already passed (and one of its LAOs given more time);
- a few LAOs of the province with an acting head appointed by their district, who certified their verified
  sectors the day before D;
- one report of last year reopened by the province a month after its round's certifying deadline, corrected, and
  certified again: two seals of one report that both check;
- the inboxes: the announcements, every transition's message and the reminders the daily job would have sent on
  each day from the opening to D, each dated on its day.

Everything goes through the services (the bulk ones for the reports). A part already there is kept as it is, so
running again, on the same day or a later one, adds only what is missing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts import policy
from accounts.models import User
from accounts.policy import Role
from dashboards.simulation import calendar, people
from dashboards.simulation.acting import acting_heads_certify
from dashboards.simulation.recertify import recertification_demo
from dashboards.simulation.round import Outcome, default_round_dates, round_simulate
from deadlines import reminders
from deadlines import services as deadline_services
from deadlines.models import DEFAULT_STAGES, Extension, LevelDeadline, ReportingRound
from deadlines.selectors import round_of, round_snapshot
from info_portal.thai import FiscalYear as FiscalDates
from organizations.models import District, Province
from sectors.catalogue import DEFAULT_CATALOGUE, fiscal_year_open
from sectors.models import FiscalYear, ReportStatus, SectorReport
from sectors.year_changes import CatalogueChanges, changes_read

YEAR_TWO_CHANGES = DEFAULT_CATALOGUE.with_name("catalogue_changes_demo.json")

OPENED_BEFORE, RECORD_AFTER, CERTIFY_AFTER = 21, 14, 21  # days around D
PUBLISHED_AT = time(8, 0)
EXTENSION_REASON = "อุทกภัยในพื้นที่ ขอขยายเวลารับรองข้อมูล"


@dataclass
class DemoOutcome:
    previous: FiscalYear
    current: FiscalYear
    round: ReportingRound
    simulated: dict[int, Outcome] = field(default_factory=dict)  # by Buddhist-Era year
    published: dict[int, int] = field(default_factory=dict)  # announcement rows written, by year
    deadlines: list[str] = field(default_factory=list)  # the internal deadlines set by this run
    acting: list[str] = field(default_factory=list)  # the acting heads appointed by this run
    reminders: int = 0  # reminder rows written by this run
    recertified: str = ""  # the report of last year reopened, corrected and certified again by this run


def department_account() -> User:
    """The demo department account when there is one, else the simulation's."""
    user = User.objects.filter(username="dla.admin", is_active=True).first()
    return user if user is not None and policy.is_department(user) else people.department_actor()


def _round(actor: User, fiscal_year: FiscalYear, *, opens_on: date, record_by: date, certify_by: date,
           closes_on: date | None = None) -> ReportingRound:
    """The year's round as it is, or set now with these dates."""
    return round_of(fiscal_year) or deadline_services.round_set(
        actor=actor, fiscal_year=fiscal_year, opens_on=opens_on, record_by=record_by, certify_by=certify_by,
        closes_on=closes_on, reminder_stages=DEFAULT_STAGES)


def _published(actor: User, round_: ReportingRound, *, started: datetime) -> int:
    """Publish the round on its opening day (once); its announcements are dated then."""
    round_.refresh_from_db()
    moment = round_.published_at or calendar.at_local(round_.opens_on, PUBLISHED_AT)
    written = deadline_services.round_publish(actor=actor, round_=round_, now=moment)
    calendar.prefix_dated(f"round:{round_.pk}:stage:{reminders.ANNOUNCE}:", moment, written_since=started)
    return written.created


def _officer(unit: Province | District) -> User | None:
    """The unit's own officer who can sign in (a demo account) first, else the simulation's."""
    role = Role.PROVINCIAL_OFFICER if isinstance(unit, Province) else Role.DISTRICT_OFFICER
    holders = policy.users_with_role(unit, role)
    return holders.filter(is_demo=True).exclude(username__startswith=people.PREFIX).order_by("username").first() \
        or holders.order_by("username").first()


def _internal_deadlines(round_: ReportingRound, province: Province, today: date) -> list[str]:
    """The province's internal deadline, still ahead; the same, a little earlier, for the districts of the demo
    accounts; and for one other district one already passed, with one of its LAOs given more time. Set once."""
    if LevelDeadline.objects.filter(round=round_).filter(Q(province=province) | Q(district__province=province)) \
            .exists():
        return []
    officer = _officer(province)
    if officer is None:
        return []
    set_on = round_.opens_on + timedelta(days=1)
    done = [_deadline(officer, round_, province, today + timedelta(days=10), today + timedelta(days=14), set_on)]
    districts = list(District.objects.filter(province=province).order_by("code"))
    demo = {d.pk for d in districts if (o := _officer(d)) is not None and not o.username.startswith(people.PREFIX)}
    for district in districts:
        if district.pk in demo:
            done.append(_deadline(_officer(district), round_, district, today + timedelta(days=7),
                                  today + timedelta(days=10), set_on))
    behind = next((d for d in districts if d.pk not in demo and _has_work_left(round_, d)), None)
    if behind is not None and today - timedelta(days=4) > round_.opens_on:
        done.append(_deadline(_officer(behind) or officer, round_, behind, today - timedelta(days=4),
                              today - timedelta(days=2), set_on))
        late = SectorReport.objects.filter(fiscal_year=round_.fiscal_year, lao__district=behind) \
            .exclude(status=ReportStatus.CERTIFIED).select_related("lao").order_by("lao__dla_code").first()
        if late is not None:
            extension = deadline_services.extension_grant(actor=officer, round_=round_, unit=late.lao,
                                                          certify_by=today + timedelta(days=5),
                                                          reason=EXTENSION_REASON)
            Extension.objects.filter(pk=extension.pk).update(granted_at=calendar.at_local(today - timedelta(days=3),
                                                                                          time(10, 0)))
            done.append(f"extension {late.lao.name_th} → {extension.certify_by.isoformat()}")
    return done


def _has_work_left(round_: ReportingRound, district: District) -> bool:
    return SectorReport.objects.filter(fiscal_year=round_.fiscal_year, lao__district=district) \
        .exclude(status=ReportStatus.CERTIFIED).exists()


def _deadline(actor: User, round_: ReportingRound, unit: Province | District, record_by: date, certify_by: date,
              set_on: date) -> str:
    level = deadline_services.level_deadline_set(actor=actor, round_=round_, unit=unit, record_by=record_by,
                                                 certify_by=certify_by)
    LevelDeadline.objects.filter(pk=level.pk).update(set_at=calendar.at_local(set_on, time(9, 0)))
    return f"{unit.name_th}: record by {record_by.isoformat()}, certify by {certify_by.isoformat()}"


def _reminders(round_: ReportingRound, today: date, *, started: datetime) -> int:
    """What the daily job would have sent on each day from the opening to `today`, each day's dated that day
    (today's not later than now)."""
    snapshot = round_snapshot(round_)
    # Every deadline anyone has: on a day none of them reaches a stage, nobody hears anything.
    dues = {round_.record_by, round_.certify_by, *snapshot.book.lao_extensions.values(),
            *snapshot.book.district_extensions.values()}
    for level in (*snapshot.book.provinces.values(), *snapshot.book.districts.values()):
        dues |= {level.record_by, level.certify_by}
    written = 0
    now = timezone.now()
    day = round_.opens_on - timedelta(days=1)
    while (day := day + timedelta(days=1)) <= today:
        if not any(reminders.stage_on(round_, due, day) for due in dues):
            continue
        planned = reminders.plan(snapshot, day)
        if planned:
            written += reminders.messages_write(planned).created
            moment = min(calendar.at_local(day, calendar.REMINDERS_AT), now)
            calendar.messages_dated([draft.key for message in planned for draft in message.drafts()], moment,
                                    written_since=started)
    return written


def _year_two(be_year: int) -> CatalogueChanges | None:
    """The department's changes for this year's catalogue, while the year is not open yet."""
    if FiscalYear.objects.filter(be_year=be_year, indicators__isnull=False).exists():
        return None
    return changes_read(YEAR_TWO_CHANGES)


def demo_build(*, today: date, province_code: str = "30", seed: int = 2568) -> DemoOutcome:
    """Build (or complete) the demo around `today` for one province."""
    province = Province.objects.get(code=province_code)
    started = timezone.now()
    this_year = FiscalDates.of(today)
    last_year = FiscalDates(this_year.be_year - 1)
    previous = fiscal_year_open(be_year=last_year.be_year, make_current=False)
    current = fiscal_year_open(be_year=this_year.be_year, make_current=True, changes=_year_two(this_year.be_year))
    actor = department_account()

    opens_on, record_by, certify_by = default_round_dates(previous)
    last_round = _round(actor, previous, opens_on=opens_on, record_by=record_by, certify_by=certify_by,
                        closes_on=last_year.end)
    outcome = DemoOutcome(previous=previous, current=current, round=last_round)
    outcome.simulated[previous.be_year] = round_simulate(
        fiscal_year=previous, today=min(last_round.closes_on or last_year.end, today - timedelta(days=1)),
        seed=seed, province_code=province_code, finished=True)

    round_ = outcome.round = _round(
        actor, current, opens_on=max(today - timedelta(days=OPENED_BEFORE), this_year.start),
        record_by=today + timedelta(days=RECORD_AFTER), certify_by=today + timedelta(days=CERTIFY_AFTER))
    outcome.simulated[current.be_year] = round_simulate(
        fiscal_year=current, today=today - timedelta(days=1), seed=seed, province_code=province_code)
    # Before the rounds are published: an acting head in office on D hears the announcements a certifier hears.
    outcome.acting = acting_heads_certify(round_, province, today, officer_of=_officer)
    outcome.published[previous.be_year] = _published(actor, last_round, started=started)
    outcome.published[current.be_year] = _published(actor, round_, started=started)
    outcome.deadlines = _internal_deadlines(round_, province, today)
    outcome.recertified = recertification_demo(
        province=province, fiscal_year=previous,
        on=timezone.make_aware(datetime.combine(last_round.certify_by + timedelta(days=30), time(9, 0))))
    calendar.transitions_dated(written_since=started)
    outcome.reminders = _reminders(round_, today, started=started)
    return outcome

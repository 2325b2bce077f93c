"""The whole state of a round in one read, for its reminders: who serves where, how far each LAO is, and who
oversees whom."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from accounts import policy
from accounts.policy import LAO_ROLES, Role
from deadlines.models import ReportingRound
from deadlines.selectors.books import AppliedDeadline, DeadlineBook
from organizations.models import LAO, District, Province
from sectors.models import ReportStatus, Sector, SectorReport
from sectors.workflow import pending_step

PERSON_FIELDS = ("username", "full_name", "email", "phone", "position", "language")


@dataclass(frozen=True)
class Person:
    pk: int
    username: str
    full_name: str
    email: str
    phone: str
    position: str
    language: str = "th"  # the language the person reads the portal in: their messages are written in it

    @property
    def name(self) -> str:
        return self.full_name or self.username


@dataclass
class LaoState:
    """One LAO in a round: the deadline that applies to it, each sector's status, and who holds each role."""

    lao: LAO
    deadline: AppliedDeadline
    statuses: dict[int, str] = field(default_factory=dict)  # sector id → status; no report yet = not started
    holders: dict[Role, list[int]] = field(default_factory=dict)

    def status_of(self, sector: Sector) -> str | None:
        return self.statuses.get(sector.pk)

    def waiting(self, role: Role, sectors: list[Sector]) -> list[Sector]:
        """The sectors that wait at this role's step (sectors.workflow): drafts, returns and untouched ones for the
        recorder, submitted ones for the verifier, verified ones for the certifier."""
        return [sector for sector in sectors if (step := pending_step(self.statuses.get(sector.pk))) is not None
                and step.role == role]

    def is_complete(self, sectors: list[Sector]) -> bool:
        return all(self.statuses.get(sector.pk) == ReportStatus.CERTIFIED for sector in sectors)


@dataclass
class RoundSnapshot:
    round: ReportingRound
    book: DeadlineBook
    sectors: list[Sector]
    laos: list[LaoState]
    provinces: dict[int, Province]
    districts: dict[int, District]
    people: dict[int, Person]
    district_officers: dict[int, list[int]] = field(default_factory=dict)
    provincial_officers: dict[int, list[int]] = field(default_factory=dict)
    department: list[int] = field(default_factory=list)


def _person(pk: int, values: tuple) -> Person:
    return Person(pk, *(value or "" for value in values))


def _holders(units, roles, on: date | None = None) -> list[tuple[int, Role, Person]]:
    """(unit id, role, person) for every active account holding one of these roles (the certifiers: with the
    acting heads in force on the day `on`, today), in one query per level."""
    return [(holder.unit_id, holder.role, _person(holder.user_id, holder.values))
            for holder in policy.role_holders(units, roles, fields=PERSON_FIELDS, on=on)]


def round_snapshot(round_: ReportingRound, *, laos: QuerySet[LAO] | None = None,
                   officers: bool = True, on: date | None = None) -> RoundSnapshot:
    """Everything the reminders of a round need, read in a constant number of queries whatever the nation's size:
    every active LAO (or only `laos`) with its deadline, statuses and role holders; the district and provincial
    officers and the department's accounts unless `officers` is False. The LAO's certifiers are those of the day
    `on` (today): its acting head counts while the appointment runs."""
    book = DeadlineBook(round_)
    scoped = laos is not None
    laos = (laos if scoped else LAO.objects.all()).filter(is_active=True)
    lao_rows = list(laos.only("pk", "name_th", "name_en", "lao_type", "province_id", "district_id", "dla_code")
                    .order_by("province_id", "district_id", "name_th", "pk"))
    states = {lao.pk: LaoState(lao=lao, deadline=book.for_lao(lao)) for lao in lao_rows}
    reports = SectorReport.objects.filter(fiscal_year_id=round_.fiscal_year_id, lao__in=laos)
    for lao_id, sector_id, status in reports.values_list("lao_id", "sector_id", "status"):
        states[lao_id].statuses[sector_id] = status
    people: dict[int, Person] = {}
    for lao_id, role, person in _holders(laos if scoped else None, LAO_ROLES, on):
        people[person.pk] = person
        states[lao_id].holders.setdefault(role, []).append(person.pk)
    snapshot = RoundSnapshot(
        round=round_, book=book, sectors=list(Sector.objects.order_by("order")), laos=list(states.values()),
        provinces={p.pk: p for p in Province.objects.only("pk", "code", "name_th", "name_en")},
        districts={d.pk: d for d in District.objects.only("pk", "code", "name_th", "name_en", "province_id")},
        people=people,
    )
    if not officers:
        return snapshot
    for unit_id, _role, person in _holders(None, [Role.DISTRICT_OFFICER]):
        people[person.pk] = person
        snapshot.district_officers.setdefault(unit_id, []).append(person.pk)
    for unit_id, _role, person in _holders(None, [Role.PROVINCIAL_OFFICER]):
        people[person.pk] = person
        snapshot.provincial_officers.setdefault(unit_id, []).append(person.pk)
    for pk, *values in policy.department_accounts().order_by("pk").values_list("pk", *PERSON_FIELDS):
        people[pk] = _person(pk, values)
        snapshot.department.append(pk)
    return snapshot

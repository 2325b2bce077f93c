"""Reads on rounds: which deadline applies to an LAO, a district or a province (the nearest level's, unless
extended), the whole state of a round for its reminders, and the deadline each user sees."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import policy
from accounts.models import (
    DistrictUserObjectPermission,
    LAOUserObjectPermission,
    ProvinceUserObjectPermission,
    User,
)
from accounts.policy import LAO_ROLES, Role
from deadlines.models import ChaseLog, Extension, LevelDeadline, ReportingRound
from organizations.models import LAO, District, Province
from sectors.models import FiscalYear, ReportStatus, Sector, SectorReport
from sectors.selectors import current_fiscal_year
from sectors.workflow import pending_step


@dataclass(frozen=True)
class AppliedDeadline:
    record_by: date
    certify_by: date
    set_by_level: str  # "department", "province", "district" or "extension"

    def days_left(self, today: date) -> int:
        """Days until the certify-by date: 0 on the day, negative once overdue."""
        return (self.certify_by - today).days

    def is_overdue(self, today: date) -> bool:
        return today > self.certify_by


def round_of(fiscal_year: FiscalYear | None) -> ReportingRound | None:
    if fiscal_year is None:
        return None
    return ReportingRound.objects.filter(fiscal_year=fiscal_year).first()


def _earliest(parent: AppliedDeadline, own: AppliedDeadline | None) -> AppliedDeadline:
    """A level's own deadline, held to its parent's even if the parent moved earlier after it was set."""
    if own is None:
        return parent
    if own.record_by <= parent.record_by and own.certify_by <= parent.certify_by:
        return own
    return AppliedDeadline(min(own.record_by, parent.record_by), min(own.certify_by, parent.certify_by),
                           own.set_by_level if own.certify_by <= parent.certify_by else parent.set_by_level)


class DeadlineBook:
    """Every level deadline and extension of a round read once, so deadlines of thousands of units cost
    two queries in all."""

    def __init__(self, round_: ReportingRound):
        self.round = round_
        self.national = AppliedDeadline(round_.record_by, round_.certify_by, "department")
        self.provinces: dict[int, AppliedDeadline] = {}
        self.districts: dict[int, AppliedDeadline] = {}
        for level in LevelDeadline.objects.filter(round=round_):
            applied = AppliedDeadline(level.record_by, level.certify_by,
                                      "province" if level.province_id else "district")
            if level.province_id:
                self.provinces[level.province_id] = applied
            else:
                self.districts[level.district_id] = applied
        self.lao_extensions: dict[int, date] = {}
        self.district_extensions: dict[int, date] = {}
        for extension in Extension.objects.filter(round=round_).order_by("granted_at", "pk"):
            target = self.lao_extensions if extension.lao_id else self.district_extensions
            target[extension.lao_id or extension.district_id] = extension.certify_by  # the latest grant wins

    def for_province(self, province_id: int) -> AppliedDeadline:
        return _earliest(self.national, self.provinces.get(province_id))

    def for_district(self, district_id: int, province_id: int) -> AppliedDeadline:
        extended = self.district_extensions.get(district_id)
        if extended:
            return AppliedDeadline(extended, extended, "extension")
        return _earliest(self.for_province(province_id), self.districts.get(district_id))

    def for_lao(self, lao: LAO) -> AppliedDeadline:
        extended = self.lao_extensions.get(lao.pk)
        if extended:
            return AppliedDeadline(extended, extended, "extension")
        if lao.district_id:
            return self.for_district(lao.district_id, lao.province_id)
        return self.for_province(lao.province_id)

    def for_laos(self, laos: Iterable[LAO]) -> dict[int, AppliedDeadline]:
        return {lao.pk: self.for_lao(lao) for lao in laos}


def deadline_for(unit: LAO | District | Province, round_: ReportingRound) -> AppliedDeadline:
    book = DeadlineBook(round_)
    if isinstance(unit, LAO):
        return book.for_lao(unit)
    if isinstance(unit, District):
        return book.for_district(unit.pk, unit.province_id)
    return book.for_province(unit.pk)


OPEN_AFTER_DEADLINE = timedelta(days=30)


def round_last_day(round_: ReportingRound) -> date:
    """The last day reminders go out: the day the round closes; if none is set, the end of its fiscal year, or 30
    days after the national certify-by date when that is later (a round run after its year has ended)."""
    return round_.closes_on or max(round_.fiscal_year.dates.end, round_.certify_by + OPEN_AFTER_DEADLINE)


def rounds_open_on(today: date) -> list[ReportingRound]:
    """Published rounds that have opened and not yet closed on `today`."""
    rounds = ReportingRound.objects.select_related("fiscal_year").filter(published_at__isnull=False,
                                                                         opens_on__lte=today)
    return [round_ for round_ in rounds if today <= round_last_day(round_)]


def current_round(*, published_only: bool = True) -> ReportingRound | None:
    """The round of the current fiscal year (published, unless asked otherwise)."""
    rounds = ReportingRound.objects.select_related("fiscal_year").filter(fiscal_year=current_fiscal_year())
    if published_only:
        rounds = rounds.filter(published_at__isnull=False)
    return rounds.first()


# The whole round in one read: who serves where, how far each LAO is, and who oversees whom ----------------------

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


def _holders(table, codenames: dict[str, Role], units=None) -> list[tuple[int, Role, Person]]:
    """(unit id, role, person) for every active account holding one of these roles, in one query.
    Mirrors accounts.policy.users_with_role for thousands of units at once."""
    rows = table.objects.filter(permission__codename__in=list(codenames), user__is_active=True)
    if units is not None:
        rows = rows.filter(content_object__in=units)
    fields = [f"user__{name}" for name in PERSON_FIELDS]
    return [(unit_id, codenames[codename], _person(user_id, values))
            for unit_id, codename, user_id, *values in rows.order_by("content_object_id", "user_id")
            .values_list("content_object_id", "permission__codename", "user_id", *fields)]


def round_snapshot(round_: ReportingRound, *, laos: QuerySet[LAO] | None = None,
                   officers: bool = True) -> RoundSnapshot:
    """Everything the reminders of a round need, read in a constant number of queries whatever the nation's size:
    every active LAO (or only `laos`) with its deadline, statuses and role holders; the district and provincial
    officers and the department's accounts unless `officers` is False."""
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
    for lao_id, role, person in _holders(LAOUserObjectPermission, {role.codename: role for role in LAO_ROLES},
                                         laos if scoped else None):
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
    for unit_id, _role, person in _holders(DistrictUserObjectPermission,
                                           {Role.DISTRICT_OFFICER.codename: Role.DISTRICT_OFFICER}):
        people[person.pk] = person
        snapshot.district_officers.setdefault(unit_id, []).append(person.pk)
    for unit_id, _role, person in _holders(ProvinceUserObjectPermission,
                                           {Role.PROVINCIAL_OFFICER.codename: Role.PROVINCIAL_OFFICER}):
        people[person.pk] = person
        snapshot.provincial_officers.setdefault(unit_id, []).append(person.pk)
    department = Role.DEPARTMENT_ADMIN.codename
    accounts = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(user_permissions__codename=department) | Q(groups__permissions__codename=department)
    ).distinct().order_by("pk")
    for pk, *values in accounts.values_list("pk", *PERSON_FIELDS):
        people[pk] = _person(pk, values)
        snapshot.department.append(pk)
    return snapshot


# The deadline each person sees ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyDeadline:
    """The deadline that applies to a user's first unit, and the days left on `today`."""

    round: ReportingRound
    level: str  # "lao", "province", "district" or "department"
    unit: str
    applied: AppliedDeadline
    today: date

    @property
    def record_by(self) -> date:
        return self.applied.record_by

    @property
    def certify_by(self) -> date:
        return self.applied.certify_by

    @property
    def days_left(self) -> int:
        return self.applied.days_left(self.today)

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def is_overdue(self) -> bool:
        return self.applied.is_overdue(self.today)


def my_deadline(user: User, *, today: date) -> MyDeadline | None:
    """The current round's deadline for the user's first unit: an LAO they serve, else the nation for the
    department, else a province, else a district they oversee. A handful of queries, whatever the user holds."""
    round_ = current_round()
    if round_ is None or not user.is_authenticated:
        return None
    book = DeadlineBook(round_)
    lao = policy.laos_served(user).only("pk", "name_th", "name_en", "province_id", "district_id").order_by("pk").first()
    if lao is not None:
        return MyDeadline(round_, "lao", lao.display_name, book.for_lao(lao), today)
    if policy.is_department(user):
        return MyDeadline(round_, "department", "", book.national, today)
    province = policy.provinces_overseen(user).order_by("code").first()
    if province is not None:
        return MyDeadline(round_, "province", province.display_name, book.for_province(province.pk), today)
    district = policy.districts_overseen(user).order_by("code").first()
    if district is not None:
        return MyDeadline(round_, "district", district.display_name,
                          book.for_district(district.pk, district.province_id), today)
    return None


def lao_deadline_context(lao: LAO, fiscal_year: FiscalYear, *, today: date | None = None) -> dict:
    """`deadline`, `days_left` and `days_overdue` of an LAO in a year, for the sector cards; no deadline until
    the year's round is published."""
    round_ = ReportingRound.objects.filter(fiscal_year=fiscal_year, published_at__isnull=False).first()
    if round_ is None:
        return {"deadline": None}
    applied = DeadlineBook(round_).for_lao(lao)
    days_left = applied.days_left(today or timezone.localdate())
    return {"deadline": applied.certify_by, "days_left": days_left, "days_overdue": -days_left}


def chases_of(round_: ReportingRound, lao: LAO) -> QuerySet[ChaseLog]:
    return ChaseLog.objects.filter(round=round_, lao=lao).select_related("sent_by")

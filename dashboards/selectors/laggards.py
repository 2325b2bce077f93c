"""The laggard list: every LAO of a scope that has not certified all its sectors, with its state per sector and
the people to call. Four queries whatever the number of LAOs."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.policy import LAO_ROLES, Role
from certification.models import CertificationSeal
from dashboards.selectors.funnel import NOT_STARTED, STATE_LABELS
from dashboards.selectors.scope import Scope
from deadlines.selectors import published_book
from organizations.models import LAO, Province
from sectors.models import ReportStatus, Sector, SectorReport

CONTACT_FIELDS = ("username", "full_name", "position", "phone", "email")
# A report certified before and reopened: not certified until it is certified again, and said so apart from a
# report that never was.
REOPENED = "reopened"
LAGGARD_LABELS = {**STATE_LABELS, REOPENED: _("เปิดแก้ไข")}


@dataclass(frozen=True)
class Contact:
    role: Role
    name: str
    position: str
    phone: str
    email: str

    @property
    def role_label(self) -> str:
        return self.role.label


@dataclass
class Laggard:
    lao: LAO
    states: list[str]  # one per sector, in sector order
    contacts: list[Contact] = field(default_factory=list)

    @property
    def certified(self) -> int:
        return sum(state == ReportStatus.CERTIFIED for state in self.states)

    @property
    def not_started(self) -> int:
        return sum(state == NOT_STARTED for state in self.states)

    @property
    def cells(self) -> list[tuple[str, str]]:
        return [(state, str(LAGGARD_LABELS[state])) for state in self.states]


@dataclass(frozen=True)
class ProvinceLaggards:
    province: Province
    laos: int
    laggards: int
    untouched: int  # LAOs that have not started a single sector


@dataclass
class LaggardList:
    scope: Scope
    as_of: date
    sectors: list[Sector]
    rows: list[Laggard]
    laos_total: int
    laos_by_province: dict[int, int] = field(default_factory=dict)
    overdue_only: bool = False  # only the LAOs past their deadline

    def by_province(self) -> list[ProvinceLaggards]:
        """The nation's list in one line per province: a list of thousands of LAOs is for the download."""
        provinces: dict[int, Province] = {}
        laggards: dict[int, int] = defaultdict(int)
        untouched: dict[int, int] = defaultdict(int)
        for row in self.rows:
            provinces[row.lao.province_id] = row.lao.province
            laggards[row.lao.province_id] += 1
            untouched[row.lao.province_id] += row.not_started == len(self.sectors)
        return [ProvinceLaggards(provinces[pk], self.laos_by_province.get(pk, 0), laggards[pk], untouched[pk])
                for pk in sorted(provinces, key=lambda pk: provinces[pk].code)]


def _overdue_ids(scope: Scope, laos: list[LAO], today: date) -> set[int]:
    """The LAOs past the deadline that applies to them in the year's published round (none before it)."""
    book = published_book(scope.fiscal_year)
    if book is None:
        return set()
    return {lao.pk for lao in laos if book.for_lao(lao).is_overdue(today)}


def _add_contacts(scope: Scope, rows: list[Laggard]) -> None:
    """Each LAO's recorders, verifiers and certifiers, in that order: one query for the whole scope."""
    by_lao = {row.lao.pk: row for row in rows}
    for holder in policy.role_holders(scope.laos, LAO_ROLES, fields=CONTACT_FIELDS, user_order=["username"]):
        row = by_lao.get(holder.unit_id)
        if row is not None:
            username, full_name, position, phone, email = holder.values
            row.contacts.append(Contact(role=holder.role, name=full_name or username,
                                        position=position, phone=phone, email=email))
    order = {role: index for index, role in enumerate(LAO_ROLES)}
    for row in rows:
        row.contacts.sort(key=lambda c: order[c.role])


def laggards_of(scope: Scope, *, today: date, overdue_only: bool = False, contacts: bool = True) -> LaggardList:
    """LAOs of the scope with any sector not yet certified, ordered by province, district and code; with
    `overdue_only`, only those past their deadline; without `contacts`, no one to call (the nation's page counts
    the LAOs by province and reads no one's contacts)."""
    sectors = list(Sector.objects.order_by("order"))
    laos = list(scope.laos.select_related("province", "district").order_by().only(
        "pk", "name_th", "name_en", "dla_code", "lao_type", "province_id", "district_id", "province__code",
        "province__name_th", "province__name_en", "district__code", "district__name_th", "district__name_en"))
    states: dict[int, dict[int, str]] = defaultdict(dict)
    reports = SectorReport.objects.filter(fiscal_year=scope.fiscal_year, lao__in=scope.laos).order_by().annotate(
        was_certified=Exists(CertificationSeal.objects.filter(report=OuterRef("pk"), superseded_at__isnull=False)))
    for lao_id, sector_id, status, was_certified in reports.values_list("lao_id", "sector_id", "status",
                                                                        "was_certified"):
        states[lao_id][sector_id] = REOPENED if was_certified and status != ReportStatus.CERTIFIED else status
    overdue = _overdue_ids(scope, laos, today) if overdue_only else set()
    rows = []
    for lao in laos:
        if overdue_only and lao.pk not in overdue:
            continue
        row = Laggard(lao=lao, states=[states[lao.pk].get(sector.pk, NOT_STARTED) for sector in sectors])
        if row.certified < len(sectors):
            rows.append(row)
    rows.sort(key=lambda r: (r.lao.province.code, r.lao.district.code if r.lao.district else "",
                             r.lao.dla_code or "", r.lao.name_th))
    if contacts:
        _add_contacts(scope, rows)
    laos_by_province: dict[int, int] = defaultdict(int)
    for lao in laos:
        laos_by_province[lao.province_id] += 1
    return LaggardList(scope=scope, as_of=today, sectors=sectors, rows=rows, laos_total=len(laos),
                       laos_by_province=dict(laos_by_province), overdue_only=overdue_only)

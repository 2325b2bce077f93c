"""The accounts a simulated round needs: three people per LAO and an officer per district and province.

All are demo accounts with unusable passwords and no e-mail, so nobody signs in as them and no invitation
goes out; usernames start with "sim." so a later run finds them again.
"""

from dataclasses import dataclass
from random import Random

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q, QuerySet

from accounts import policy
from accounts import services as account_services
from accounts.models import AccountAction, AccountEvent, User
from accounts.policy import LAO_ROLES, Role
from dashboards.selectors.scope import province_label
from organizations.models import LAO, District, LAOType, Province

PREFIX = "sim."
FIRST_NAMES = ("สมชาย", "สมหญิง", "วิไลวรรณ", "ประเสริฐ", "สุนทร", "กาญจนา", "ธนพล", "ศิริพร", "อนุชา", "พรทิพย์",
               "วีระพงษ์", "นงลักษณ์", "ชัยวัฒน์", "รัตนา", "สุรชัย", "จันทร์เพ็ญ", "ณัฐพล", "อรุณี", "บุญเรือน",
               "ปิยะพงษ์", "สายสุนีย์", "ทองใบ", "กิตติศักดิ์", "มาลัย")
LAST_NAMES = ("ใจดี", "ศรีสุข", "บุญมา", "แก้วกาญจนา", "ทองดี", "พรหมมา", "สุวรรณรัตน์", "จันทร์หอม", "มั่นคง",
              "เพชรรัตน์", "วงศ์ใหญ่", "คำแก้ว", "ดวงแก้ว", "ศรีวงศ์", "บุญประเสริฐ", "ชัยมงคล", "อินทร์แก้ว")
# Positions of the LAO's three people, by the kind of LAO.
POSITIONS = {
    LAOType.SAO: ("นักวิเคราะห์นโยบายและแผน", "ปลัดองค์การบริหารส่วนตำบล", "นายกองค์การบริหารส่วนตำบล"),
    LAOType.PAO: ("นักวิเคราะห์นโยบายและแผน", "ปลัดองค์การบริหารส่วนจังหวัด", "นายกองค์การบริหารส่วนจังหวัด"),
}
MUNICIPAL = ("นักวิเคราะห์นโยบายและแผน", "ปลัดเทศบาล", "นายกเทศมนตรี")
LAO_PEOPLE = (Role.RECORDER, Role.VERIFIER, Role.CERTIFIER)


def lao_key(lao: LAO) -> str:
    return lao.dla_code or f"lao{lao.pk}"


def _phone(rng: Random) -> str:
    return f"0-{rng.randint(2000, 5999)}-{rng.randint(1000, 9999)}"


def _account(*, username: str, full_name: str, position: str, phone: str, role: Role, unit) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    return account_services.account_create(
        actor=None, username=username, full_name=full_name, position=position, phone=phone,
        grants=[(role, unit)], is_demo=True, invite=False)


@dataclass(frozen=True)
class Person:
    role: Role
    username: str
    full_name: str
    position: str
    phone: str


def lao_people_drawn(lao: LAO, rng: Random) -> list[Person]:
    """The recorder, verifier and certifier the simulation would make for the LAO. Drawn whether or not the
    accounts are made, so a second run tells each LAO the same story."""
    positions = POSITIONS.get(lao.lao_type, MUNICIPAL)
    drawn = []
    for role, position in zip(LAO_PEOPLE, positions, strict=True):
        name, phone = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", _phone(rng)
        drawn.append(Person(role=role, username=f"{PREFIX}{lao_key(lao)}.{role}", full_name=name, position=position,
                            phone=phone))
    return drawn


def _simulated(*, demo_accounts: bool = False) -> Q:
    """Holders the simulation may act as: those who cannot sign in, and with `demo_accounts` the demo accounts."""
    unusable = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    return unusable | Q(is_demo=True) if demo_accounts else unusable


def lao_people(lao: LAO, drawn: list[Person], *, demo_accounts: bool = False) -> dict[Role, User]:
    """The recorder, verifier and certifier of the LAO: those who already hold the role and cannot sign in
    (demo people, and with `demo_accounts` the demo accounts), else accounts made for the simulation the first
    time and found again after."""
    holders: dict[str, User] = {}
    for role in LAO_PEOPLE:
        holder = policy.users_with_role(lao, role).filter(_simulated(demo_accounts=demo_accounts)) \
            .order_by("username").first()
        if holder is not None:
            holders[role] = holder
    return {person.role: holders.get(person.role) or _account(
        username=person.username, full_name=person.full_name, position=person.position, phone=person.phone,
        role=person.role, unit=lao) for person in drawn}


def lao_people_bulk(drawn: dict[LAO, list[Person]], *, demo_accounts: bool = False) -> dict[int, dict[Role, User]]:
    """lao_people for many LAOs in a few queries: the demo holders of each role, else the simulation's accounts
    found by username, else made in bulk with their grant (unusable password, no e-mail, validated as
    account_create validates)."""
    laos = {lao.pk: lao for lao in drawn}
    holders = policy.first_holders(list(laos), LAO_PEOPLE, who=_simulated(demo_accounts=demo_accounts))
    wanted = [(lao, person) for lao, people in drawn.items() for person in people
              if (lao.pk, person.role) not in holders]
    found = User.objects.in_bulk([person.username for _, person in wanted], field_name="username")
    made, grants = [], []
    for lao, person in wanted:
        if person.username in found:
            continue
        user = User(username=person.username, full_name=person.full_name, position=person.position,
                    phone=person.phone, is_demo=True)
        user.set_unusable_password()
        user.clean_fields(exclude=["password"])  # the username is known to be free: no query per account
        user.clean()
        found[person.username] = user
        made.append(user)
        grants.append((user, person.role, lao))
    User.objects.bulk_create(made, batch_size=1000)
    policy.grants_bulk_store([(user.pk, role, lao) for user, role, lao in grants], batch_size=1000)
    # The audit rows account_create and role_grant write for each account.
    AccountEvent.objects.bulk_create(
        [account_services.audit_row(actor=None, account=user, action=AccountAction.CREATED) for user in made]
        + [account_services.audit_row(actor=None, account=user, action=AccountAction.ROLE_GRANTED, role=role,
                                      unit=lao) for user, role, lao in grants], batch_size=1000)
    return {lao.pk: {person.role: holders.get((lao.pk, person.role)) or found[person.username]
                     for person in people} for lao, people in drawn.items()}


def laos_with_own_people(laos: QuerySet[LAO], *, demo_accounts: bool = False) -> set[int]:
    """LAOs where someone who can sign in holds a role (with `demo_accounts`: someone who is not a demo account):
    their data is theirs to enter, not the simulation's."""
    return {holder.unit_id for holder in policy.role_holders(laos, LAO_ROLES,
                                                             who=~_simulated(demo_accounts=demo_accounts))}


def officers_ensure(provinces: QuerySet[Province], districts: QuerySet[District]) -> int:
    """An officer for each province and district that has no active one yet; returns how many were made."""
    with_officer = {holder.unit_id for holder in policy.role_holders(None, [Role.PROVINCIAL_OFFICER])}
    made = 0
    for province in provinces.exclude(pk__in=with_officer):
        _account(username=f"{PREFIX}p{province.code}.province", full_name=f"ท้องถิ่น{province_label(province)}",
                 position="ท้องถิ่นจังหวัด", phone="", role=Role.PROVINCIAL_OFFICER, unit=province)
        made += 1
    with_officer = {holder.unit_id for holder in policy.role_holders(None, [Role.DISTRICT_OFFICER])}
    for district in districts.exclude(pk__in=with_officer):
        _account(username=f"{PREFIX}d{district.code}.district", full_name=f"ท้องถิ่นอำเภอ{district.name_th}",
                 position="ท้องถิ่นอำเภอ", phone="", role=Role.DISTRICT_OFFICER, unit=district)
        made += 1
    return made


def department_actor() -> User:
    """An active department account to set the round with: an existing one, or a demo one made for it."""
    for user in policy.users_with_role(None, Role.DEPARTMENT_ADMIN):
        if policy.is_department(user):
            return user
    return _account(username=f"{PREFIX}department", full_name="กรมส่งเสริมการปกครองท้องถิ่น (จำลอง)",
                    position="นักวิเคราะห์นโยบายและแผน", phone="", role=Role.DEPARTMENT_ADMIN, unit=None)

"""The accounts a simulated round needs: three people per LAO and an officer per district and province.

All are demo accounts with unusable passwords and no e-mail, so nobody signs in as them and no invitation
goes out; usernames start with "sim." so a later run finds them again.
"""

from random import Random

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import QuerySet

from accounts import policy
from accounts import services as account_services
from accounts.models import (
    DistrictUserObjectPermission,
    LAOUserObjectPermission,
    ProvinceUserObjectPermission,
    User,
)
from accounts.policy import Role
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


def lao_people(lao: LAO, rng: Random) -> dict[Role, User]:
    """The recorder, verifier and certifier of the LAO: those who already hold the role and cannot sign in
    (demo people), else accounts made for the simulation the first time and found again after."""
    positions = POSITIONS.get(lao.lao_type, MUNICIPAL)
    holders: dict[str, User] = {}
    for role in LAO_PEOPLE:
        holder = policy.users_with_role(lao, role).filter(password__startswith=UNUSABLE_PASSWORD_PREFIX) \
            .order_by("username").first()
        if holder is not None:
            holders[role] = holder
    people = {}
    for role, position in zip(LAO_PEOPLE, positions, strict=True):
        # Drawn whether or not the account is made, so a second run tells each LAO the same story.
        name, phone = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", _phone(rng)
        people[role] = holders.get(role) or _account(
            username=f"{PREFIX}{lao_key(lao)}.{role}", full_name=name, position=position, phone=phone, role=role,
            unit=lao)
    return people


def laos_with_own_people(laos: QuerySet[LAO]) -> set[int]:
    """LAOs where someone who can sign in holds a role: their data is theirs to enter, not the simulation's."""
    return set(LAOUserObjectPermission.objects.filter(content_object__in=laos, user__is_active=True)
               .exclude(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
               .values_list("content_object_id", flat=True))


def officers_ensure(provinces: QuerySet[Province], districts: QuerySet[District]) -> int:
    """An officer for each province and district that has no active one yet; returns how many were made."""
    with_officer = set(ProvinceUserObjectPermission.objects.filter(
        permission__codename=Role.PROVINCIAL_OFFICER.codename, user__is_active=True,
    ).values_list("content_object_id", flat=True))
    made = 0
    for province in provinces.exclude(pk__in=with_officer):
        _account(username=f"{PREFIX}p{province.code}.province", full_name=f"ท้องถิ่น{province_label(province)}",
                 position="ท้องถิ่นจังหวัด", phone="", role=Role.PROVINCIAL_OFFICER, unit=province)
        made += 1
    with_officer = set(DistrictUserObjectPermission.objects.filter(
        permission__codename=Role.DISTRICT_OFFICER.codename, user__is_active=True,
    ).values_list("content_object_id", flat=True))
    for district in districts.exclude(pk__in=with_officer):
        _account(username=f"{PREFIX}d{district.code}.district", full_name=f"ท้องถิ่นอำเภอ{district.name_th}",
                 position="ท้องถิ่นอำเภอ", phone="", role=Role.DISTRICT_OFFICER, unit=district)
        made += 1
    return made


def department_actor() -> User:
    """An active department account to set the round with: an existing one, or a demo one made for it."""
    for user in User.objects.filter(is_active=True, user_permissions__codename=Role.DEPARTMENT_ADMIN.codename):
        if policy.is_department(user):
            return user
    return _account(username=f"{PREFIX}department", full_name="กรมส่งเสริมการปกครองท้องถิ่น (จำลอง)",
                    position="นักวิเคราะห์นโยบายและแผน", phone="", role=Role.DEPARTMENT_ADMIN, unit=None)

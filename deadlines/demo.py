"""Demo data for rounds and reminders: a round of the current fiscal year around a given day, and (on request)
an account for every role of every LAO, district and province, so the national cascade can be shown and measured."""

from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet

from accounts import policy
from accounts.models import User
from accounts.policy import LAO_ROLES, Role
from deadlines.models import DEFAULT_STAGES, ReportingRound
from deadlines.services import round_set
from organizations.models import LAO, District, Province
from sectors.models import FiscalYear

DEMO_EMAIL_DOMAIN = "demo.info.localhost"


def demo_round_set(*, actor: User, fiscal_year: FiscalYear, today: date) -> ReportingRound:
    """A round opened three weeks before `today`: recording due in 3 days and certifying in 7, so a dry run on
    `today` shows every level (recorders at T-3; verifiers, certifiers and officers at T-7)."""
    return round_set(actor=actor, fiscal_year=fiscal_year, opens_on=today - timedelta(days=21),
                     record_by=today + timedelta(days=3), certify_by=today + timedelta(days=7),
                     reminder_stages=DEFAULT_STAGES)


def _held(roles) -> set[tuple[int, Role]]:
    """(unit id, role) of every role someone active already holds."""
    return {(holder.unit_id, holder.role) for holder in policy.role_holders(None, roles)}


def _unit_accounts(laos: list[LAO]) -> list[tuple[str, str, Role, object]]:
    """(username, full name, role, unit) of each role nobody holds yet in these LAOs, their districts and provinces."""
    planned = []
    held = _held(LAO_ROLES)
    for lao in laos:
        code = lao.dla_code or f"lao{lao.pk}"
        planned.extend((f"demo.{code}.{role.value}", f"{role.label} {lao.name_th}", role, lao) for role in LAO_ROLES
                       if (lao.pk, role) not in held)
    held = _held([Role.DISTRICT_OFFICER])
    district_ids = {lao.district_id for lao in laos if lao.district_id}
    for district in District.objects.filter(pk__in=district_ids).order_by("code"):
        if (district.pk, Role.DISTRICT_OFFICER) not in held:
            planned.append((f"demo.d{district.code}", f"{Role.DISTRICT_OFFICER.label}{district.name_th}",
                            Role.DISTRICT_OFFICER, district))
    held = _held([Role.PROVINCIAL_OFFICER])
    for province in Province.objects.filter(pk__in={lao.province_id for lao in laos}).order_by("code"):
        if (province.pk, Role.PROVINCIAL_OFFICER) not in held:
            planned.append((f"demo.p{province.code}", f"{Role.PROVINCIAL_OFFICER.label}{province.name_th}",
                            Role.PROVINCIAL_OFFICER, province))
    return planned


@transaction.atomic
def demo_people_load(*, laos: QuerySet[LAO]) -> int:
    """A recorder, a verifier and a certifier for each of these LAOs and an officer for each of their districts
    and provinces, wherever nobody holds the role yet, written in bulk as demo accounts with an e-mail address that
    cannot sign in. Returns how many accounts were created."""
    planned = _unit_accounts(list(laos.only("pk", "dla_code", "name_th", "district_id", "province_id")))
    unusable = make_password(None)
    before = User.objects.count()
    User.objects.bulk_create([
        User(username=username, full_name=full_name, email=f"{username}@{DEMO_EMAIL_DOMAIN}", is_demo=True,
             phone=f"0-2{index % 1000:03d}-{index % 10000:04d}", password=unusable,
             position=role.label)
        for index, (username, full_name, role, _unit) in enumerate(planned)
    ], batch_size=2000, ignore_conflicts=True)
    ids = dict(User.objects.filter(is_demo=True, username__startswith="demo.").values_list("username", "pk"))
    policy.grants_bulk_store([(ids[username], role, unit) for username, _full_name, role, unit in planned],
                             batch_size=2000, ignore_conflicts=True)
    return User.objects.count() - before

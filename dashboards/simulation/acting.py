"""Acting heads in the demo: in a few LAOs of the province the head is away, the district appoints an acting head
by order, and the acting head certifies what is waiting, each through the real services."""

from datetime import date, time, timedelta

from django.utils import timezone

from accounts import acting, policy
from accounts import services as account_services
from accounts.models import ActingAppointment, ActingCapacity, User
from accounts.policy import Role
from certification import services as certification
from dashboards.simulation import calendar, people
from deadlines.models import ReportingRound
from organizations.models import LAO, LAOType, Province
from sectors.models import ReportStatus, SectorReport

LAOS = 2  # how many LAOs of the province have an acting head
BEFORE, AFTER = 10, 20  # the order's days around D
CERTIFIED_AT = time(18, 30)  # the day before D, after the day's simulated steps
DEPUTY = {LAOType.SAO: "รองนายกองค์การบริหารส่วนตำบล", LAOType.PAO: "รองนายกองค์การบริหารส่วนจังหวัด"}


def _deputy(lao: LAO, officer: User) -> User:
    """The LAO's deputy head, an account the district created: it cannot sign in (no password)."""
    username = f"{people.PREFIX}{people.lao_key(lao)}.acting"
    user = User.objects.filter(username=username).first()
    return user or account_services.account_create(
        actor=officer, username=username, full_name=f"{people.FIRST_NAMES[lao.pk % len(people.FIRST_NAMES)]} "
                                                    f"{people.LAST_NAMES[lao.pk % len(people.LAST_NAMES)]}",
        position=DEPUTY.get(lao.lao_type, "รองนายกเทศมนตรี"), is_demo=True, invite=False)


def acting_heads_certify(round_: ReportingRound, province: Province, today: date,
                         officer_of=None) -> list[str]:
    """Appoint an acting head in the first LAOs of the province with verified sectors, and let them certify those
    sectors today; once (a province with an appointment already is left as it is)."""
    if ActingAppointment.objects.filter(lao__province=province).exists():
        return []
    verified = SectorReport.objects.filter(fiscal_year=round_.fiscal_year, lao__province=province,
                                           lao__district__isnull=False, lao__is_demo=True,
                                           status=ReportStatus.VERIFIED)
    lao_ids = list(dict.fromkeys(verified.order_by("lao__dla_code").values_list("lao_id", flat=True)))
    # The demo accounts' own LAO keeps its certifier's work for whoever signs in as them.
    signing_in = {holder.unit_id for holder in policy.role_holders(lao_ids, [Role.CERTIFIER], fields=["username"])
                  if not holder.values[0].startswith(people.PREFIX)}
    lao_ids = [pk for pk in lao_ids if pk not in signing_in]
    at = min(calendar.at_local(today - timedelta(days=1), CERTIFIED_AT), timezone.now())
    done = []
    for number, lao in enumerate(LAO.objects.filter(pk__in=lao_ids[:LAOS]).select_related("district"), start=1):
        officer = officer_of(lao.district) if officer_of else None
        if officer is None:
            continue
        appointment = acting.acting_appoint(
            actor=officer, lao=lao, user=_deputy(lao, officer),
            capacity=ActingCapacity.ACTING if number % 2 else ActingCapacity.ON_BEHALF,
            order_ref=f"คำสั่งอำเภอ{lao.district.name_th} ที่ {100 + number}/{round_.fiscal_year.be_year}",
            starts_on=today - timedelta(days=BEFORE), ends_on=today + timedelta(days=AFTER), today=today)
        reports = list(verified.filter(lao=lao).order_by("sector__order").values_list("pk", flat=True))
        for report_id in reports:
            certification.report_certify(report_id=report_id, actor=appointment.user, at=at)
        done.append(f"{lao.name_th}: {appointment} ({len(reports)} sectors)")
    return done

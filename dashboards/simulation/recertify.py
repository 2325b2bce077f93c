"""One re-certification in the demo: a report of last year reopened by the province, corrected by its recorder,
submitted, verified and certified again through the one-per-edge services, so the demo shows two seals of one
report that both check."""

from datetime import datetime, timedelta

from accounts import policy
from accounts.models import User
from accounts.policy import Action, Role
from certification import services as certification
from certification.models import CertificationSeal
from dashboards.simulation import people
from organizations.models import Province
from sectors import selectors as sector_selectors
from sectors import services as sector_services
from sectors.models import FiscalYear, ReportStatus, SectorReport

REOPEN_REASON = "จำนวนครัวเรือนไม่ตรงกับทะเบียนราษฎร ณ สิ้นปีงบประมาณ"
CHANGE_REASON = "แก้ตามทะเบียนราษฎร"
CORRECTED = "gov_households"


def _person(unit, role: Role) -> User | None:
    """The unit's demo account holding the role first, else the simulation's."""
    holders = policy.users_with_role(unit, role)
    return holders.filter(is_demo=True).exclude(username__startswith=people.PREFIX).order_by("username").first() \
        or holders.order_by("username").first()


def _chosen(province: Province, fiscal_year: FiscalYear) -> SectorReport | None:
    """The certified governance report of the LAO the demo accounts serve, else of the province's first LAO."""
    reports = SectorReport.objects.filter(lao__province=province, fiscal_year=fiscal_year, sector__code="governance",
                                          status=ReportStatus.CERTIFIED).select_related("lao")
    demo_recorder = User.objects.filter(username="recorder.demo").first()
    if demo_recorder is not None:
        own = reports.filter(lao_id__in=policy.lao_ids_for(demo_recorder, Action.RECORD)).first()
        if own is not None:
            return own
    return reports.order_by("lao__dla_code", "lao_id").first()


def recertification_demo(*, province: Province, fiscal_year: FiscalYear, on: datetime) -> str:
    """Reopen, correct and certify again one report of the year, unless one of the province's reports already has
    a second seal; returns what was done."""
    if CertificationSeal.objects.filter(report__lao__province=province, report__fiscal_year=fiscal_year,
                                        number__gte=2).exists():
        return ""
    report = _chosen(province, fiscal_year)
    officer = _person(province, Role.PROVINCIAL_OFFICER)
    if report is None or officer is None:
        return ""
    who = {role: _person(report.lao, role) for role in (Role.RECORDER, Role.VERIFIER, Role.CERTIFIER)}
    if None in who.values():
        return ""
    households = sector_selectors.report_values(report).get(CORRECTED)
    if households is None:
        return ""
    sealed_at = CertificationSeal.objects.filter(report=report).order_by("-number").values_list(
        "certified_at", flat=True).first()
    start = max(on, sealed_at + timedelta(days=1))  # the reopen follows the seal it supersedes
    certification.report_reopen(report_id=report.pk, actor=officer, reason=REOPEN_REASON, at=start)
    report.refresh_from_db(fields=["version"])
    sector_services.report_save(report_id=report.pk, user=who[Role.RECORDER], expected_version=report.version,
                                new_values={CORRECTED: int(households) + 12}, reasons={CORRECTED: CHANGE_REASON})
    certification.report_submit(report_id=report.pk, actor=who[Role.RECORDER], confirm_warnings=True,
                                at=start + timedelta(hours=2))
    certification.report_verify(report_id=report.pk, actor=who[Role.VERIFIER], at=start + timedelta(hours=4))
    seal = certification.report_certify(report_id=report.pk, actor=who[Role.CERTIFIER],
                                        at=start + timedelta(hours=6))
    return f"recertified {report.lao.name_th} {report.sector.code}: seal {seal.number}"

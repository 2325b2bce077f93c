"""The transitions of a report, one service per edge of sectors.workflow.EDGES.

Each runs in one transaction that locks the report row, checks the edge and the actor's permission,
writes a ReportEvent, and queues the notifications on commit. `at` backdates the event (for simulated
rounds and imports of past years); it defaults to now.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from accounts.policy import Action, Role
from certification import seal as sealing
from certification.acting import acting_check, acting_seal_fields
from certification.models import CertificationSeal, ReportEvent, TransitionAction
from info_portal.names import reader_language
from notifications import services as notifications
from sectors import selectors
from sectors import services as sector_services
from sectors.checks import CheckResult
from sectors.models import ReportStatus, SectorReport
from sectors.workflow import EDGES, Edge, edge_for, pending_step

MAX_COMMENT = 2000


class TransitionRefused(Exception):
    """The step cannot be taken now; the message is Thai and says why."""

    def __init__(self, message: str, *, checks: CheckResult | None = None):
        super().__init__(message)
        self.checks = checks


@dataclass(frozen=True)
class Cycle:
    """Who submitted and who verified the report since it was last submitted."""

    submitted_by: int | None
    verified_by: int | None


CYCLE_ACTIONS = (TransitionAction.SUBMIT, TransitionAction.VERIFY)


def cycle_of(events: Iterable[tuple[str, int]]) -> Cycle:
    """The cycle from a report's submit and verify events (action, actor id), newest first."""
    submitted = verified = None
    for action, actor_id in events:  # a verify counts only if it follows the latest submit
        if action == TransitionAction.SUBMIT:
            submitted = actor_id
            break
        verified = actor_id
    return Cycle(submitted_by=submitted, verified_by=verified)


def _cycle(report: SectorReport) -> Cycle:
    return cycle_of(report.events.filter(action__in=CYCLE_ACTIONS).order_by("-at", "-pk")
                    .values_list("action", "actor_id")[:2])


def different_people_check(cycle: Cycle, actor_id: int, *, also_verifier: bool) -> None:
    """The recorder, verifier and certifier of one report are three different people."""
    if actor_id == cycle.submitted_by or (also_verifier and actor_id == cycle.verified_by):
        raise TransitionRefused(_("ผู้บันทึก ผู้ตรวจสอบ และผู้รับรองของรายงานเดียวกันต้องเป็นคนละคน"))


def edge_check(*, action: str, status: str, allowed: Callable[[str], bool], comment: str = "") -> tuple[Edge, str]:
    """The edge `action` takes from `status` if the graph has one and the actor is `allowed` its permission;
    returns it with the cleaned comment."""
    edge = edge_for(action, status)
    if not allowed(edge.permission if edge else "see"):
        raise PermissionDenied
    if edge is None:
        raise TransitionRefused(_("ทำรายการนี้ไม่ได้ เพราะรายงานอยู่ในสถานะ “%(status)s”")
                                % {"status": ReportStatus(status).label})
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise TransitionRefused(_("ความเห็นยาวได้ไม่เกิน 2,000 ตัวอักษร"))
    return edge, comment


def submit_check(checks: CheckResult, *, confirm_warnings: bool) -> None:
    """A draft goes for checking only with no rule error, no empty required item, a reason for every big change,
    and its warnings confirmed."""
    if checks.errors:
        raise TransitionRefused(_("ยังส่งตรวจสอบไม่ได้ กรุณาแก้ไขรายการที่ไม่ผ่านการตรวจสอบก่อน"), checks=checks)
    if any(issue.kind == "big_change" for issue in checks.warnings):
        raise TransitionRefused(_("กรุณาระบุเหตุผลของรายการที่เปลี่ยนแปลงจากปีก่อนเกิน 50% ก่อนส่งตรวจสอบ"),
                                checks=checks)
    if checks.warnings and not confirm_warnings:
        raise TransitionRefused(_("มีคำเตือน กรุณายืนยันว่าตรวจดูแล้วก่อนส่งตรวจสอบ"), checks=checks)


def return_reasons(*, comment: str, field_reasons: dict[str, str] | None, known: set[str]) -> dict[str, str]:
    """A return names its reasons: a comment or per-item reasons, only for items of the report's sector."""
    reasons = {code: text.strip()[:MAX_COMMENT] for code, text in (field_reasons or {}).items() if text.strip()}
    if set(reasons) - known:
        raise TransitionRefused(_("มีเหตุผลของรายการที่ไม่อยู่ในด้านนี้"))
    if not (comment or "").strip() and not reasons:
        raise TransitionRefused(_("กรุณาระบุเหตุผลที่ส่งกลับแก้ไข"))
    return reasons


def _locked(report_id: int) -> SectorReport:
    return SectorReport.objects.select_for_update(of=("self",)) \
        .select_related("lao", "sector", "fiscal_year").get(pk=report_id)


def _move(*, report: SectorReport, actor: User, action: str, comment: str = "",
          field_reasons: dict[str, str] | None = None, at: datetime | None = None,
          sealed_values: dict[str, dict] | None = None, allowed: Callable[[str], bool] | None = None) -> ReportEvent:
    """Check the edge and the actor's permission on the locked report, then write the event and the status."""
    edge, comment = edge_check(action=action, status=report.status, comment=comment,
                               allowed=allowed or (lambda permission: policy.can(actor, permission, report.lao)))
    event = ReportEvent.objects.create(report=report, action=action, from_status=report.status,
                                       to_status=edge.target, actor=actor, comment=comment,
                                       field_reasons=field_reasons or {}, sealed_values=sealed_values or {},
                                       at=at or timezone.now())
    report.status = edge.target
    report.save(update_fields=["status", "updated_at"])
    return event


# On certify or reopen, those whose work it was hear of it too.
_ALSO_TOLD = {TransitionAction.CERTIFY: (Role.RECORDER, Role.VERIFIER),
              TransitionAction.REOPEN: (Role.VERIFIER, Role.CERTIFIER)}


def _told(edge: Edge) -> tuple[Role, ...]:
    step = pending_step(edge.target)
    return ((step.role,) if step is not None else ()) + _ALSO_TOLD.get(edge.action, ())


# Who hears of each step: the role whose turn it now is (sectors.workflow), and those whose work it was.
NOTIFIED: dict[str, tuple[Role, ...]] = {edge.action: _told(edge) for edge in EDGES}


def transition_message(report: SectorReport, event: ReportEvent, *, language: str) -> notifications.Message:
    """The portal message of a step in one reader's language, the same wherever the step was taken; the reasons of a
    return name the items, not their codes."""
    with translation.override(language):
        return _transition_message(report, event)


def _transition_message(report: SectorReport, event: ReportEvent) -> notifications.Message:
    label = {"sector": report.sector.display_name, "lao": report.lao.display_name, "year": report.fiscal_year.be_year}
    body = ""
    if event.action == TransitionAction.SUBMIT:
        title = _("%(sector)s ของ %(lao)s ปี %(year)s รอตรวจสอบ") % label
    elif event.action == TransitionAction.VERIFY:
        title = _("%(sector)s ของ %(lao)s ปี %(year)s รอรับรอง") % label
    elif event.action == TransitionAction.RETURN:
        title = _("%(sector)s ของ %(lao)s ปี %(year)s ถูกส่งกลับแก้ไข") % label
        names = {item.code: item.display_name for item in selectors.indicators_for(report)} \
            if event.field_reasons else {}
        lines = [event.comment] + [f"{names.get(code, code)}: {text}" for code, text in event.field_reasons.items()]
        body = "\n".join(line for line in lines if line)
    elif event.action == TransitionAction.CERTIFY:
        title = _("%(sector)s ของ %(lao)s ปี %(year)s ได้รับการรับรองแล้ว") % label
    else:
        title = _("%(sector)s ของ %(lao)s ปี %(year)s ถูกเปิดแก้ไขข้อมูลที่รับรองแล้ว") % label
        body = event.comment
    link = reverse("sectors:report", args=[report.lao_id, report.fiscal_year.be_year, report.sector.code])
    return notifications.Message(kind=f"report_{event.action}", title=title, body=body, link=link)


def transition_dedupe_key(event: ReportEvent) -> str:
    return f"report-event:{event.pk}"


def _notify(*, report: SectorReport, event: ReportEvent) -> None:
    """Write one portal message per person holding the step's roles on the LAO, in the step's own transaction: the
    step and the news of it are committed together or not at all, so a crash after the commit loses no message."""
    recipients = [user for role in NOTIFIED[event.action] for user in policy.users_with_role(report.lao, role)
                  if user.pk != event.actor_id]
    by_language: dict[str, list[User]] = {}
    for user in recipients:
        by_language.setdefault(reader_language(user.language), []).append(user)
    for language, readers in sorted(by_language.items()):
        notifications.notifications_create(recipients=readers, dedupe_key=transition_dedupe_key(event),
                                           message=transition_message(report, event, language=language))


@transaction.atomic
def report_submit(*, report_id: int, actor: User, comment: str = "", confirm_warnings: bool = False,
                  at: datetime | None = None) -> ReportEvent:
    """A recorder sends a draft for checking: refused while a rule error stands, a required item is empty, a big
    change has no reason, or a warning is not confirmed."""
    report = _locked(report_id)
    if not policy.can(actor, "record", report.lao):
        raise PermissionDenied
    stored = selectors.report_values(report)
    rows = selectors.report_rows(report)
    checks = sector_services.report_check(report=report, new_values=stored, for_submit=True,
                                          reasons={code: row.change_reason for code, row in rows.items()})
    submit_check(checks, confirm_warnings=confirm_warnings)
    event = _move(report=report, actor=actor, action=TransitionAction.SUBMIT, comment=comment, at=at)
    _notify(report=report, event=event)
    return event


def _different_people(report: SectorReport, actor: User, *, also_verifier: bool) -> None:
    different_people_check(_cycle(report), actor.pk, also_verifier=also_verifier)


@transaction.atomic
def report_verify(*, report_id: int, actor: User, comment: str = "", at: datetime | None = None) -> ReportEvent:
    """A verifier passes submitted data on to the certifier; not the person who submitted it."""
    report = _locked(report_id)
    _different_people(report, actor, also_verifier=False)
    event = _move(report=report, actor=actor, action=TransitionAction.VERIFY, comment=comment, at=at)
    _notify(report=report, event=event)
    return event


@transaction.atomic
def report_return(*, report_id: int, actor: User, comment: str, field_reasons: dict[str, str] | None = None,
                  at: datetime | None = None) -> ReportEvent:
    """The verifier (from submitted) or the certifier (from verified) sends the data back with reasons."""
    report = _locked(report_id)
    reasons = return_reasons(comment=comment, field_reasons=field_reasons,
                             known={indicator.code for indicator in selectors.indicators_for(report)})
    _different_people(report, actor, also_verifier=report.status == ReportStatus.VERIFIED)
    event = _move(report=report, actor=actor, action=TransitionAction.RETURN, comment=comment,
                  field_reasons=reasons, at=at)
    _notify(report=report, event=event)
    return event


@transaction.atomic
def report_certify(*, report_id: int, actor: User, comment: str = "", at: datetime | None = None
                   ) -> CertificationSeal:
    """The LAO head certifies verified data: the values are sealed with their SHA-256 and can no longer change. The
    seal is the report's certification n (1, 2, 3 …); every earlier seal is kept."""
    report = _locked(report_id)
    _different_people(report, actor, also_verifier=True)
    at = at or timezone.now()
    appointment, refusal = acting_check(actor, report, day=timezone.localdate(at))
    if refusal:
        raise TransitionRefused(refusal)
    event = _move(report=report, actor=actor, action=TransitionAction.CERTIFY, comment=comment, at=at,
                  allowed=(lambda permission: permission == Action.CERTIFY) if appointment else None)
    previous = CertificationSeal.objects.filter(report=report).order_by("-number").first()
    acting = acting_seal_fields(appointment)
    text = sealing.canonical(sealing.payload_for(
        report, certified_by=actor.username, certified_at=event.at, supersedes=previous,
        acting=sealing.acting_payload(capacity=acting["acting_capacity"], acting_for=acting["acting_for"],
                                      order_ref=acting["acting_order_ref"]) if appointment else None))
    seal = CertificationSeal.objects.create(report=report, event=event, canonical=text, sha256=sealing.digest(text),
                                            number=previous.number + 1 if previous else 1,
                                            certified_by=actor, certified_at=event.at, **acting)
    _notify(report=report, event=event)
    return seal


@transaction.atomic
def report_reopen(*, report_id: int, actor: User, reason: str, at: datetime | None = None) -> ReportEvent:
    """The province or the department reopens certified data for correction; the reason is required and kept."""
    report = _locked(report_id)
    if not (reason or "").strip():
        if not policy.can(actor, "reopen", report.lao):
            raise PermissionDenied
        raise TransitionRefused(_("กรุณาระบุเหตุผลที่เปิดแก้ไขข้อมูลที่รับรองแล้ว"))
    sealed = sealing.values_snapshot(selectors.report_rows(report))
    event = _move(report=report, actor=actor, action=TransitionAction.REOPEN, comment=reason, at=at,
                  sealed_values=sealed)
    CertificationSeal.objects.filter(report=report, superseded_at__isnull=True).update(superseded_at=event.at)
    _notify(report=report, event=event)
    return event


class CertifyAllRefused(TransitionRefused):
    """One of the reports could not be certified, so none was; `report` is the one refused."""

    def __init__(self, report: SectorReport, refused: TransitionRefused):
        super().__init__(str(refused), checks=refused.checks)
        self.report = report


@transaction.atomic
def reports_certify_all(*, report_ids: list[int], actor: User, at: datetime | None = None
                        ) -> list[CertificationSeal]:
    """The head certifies several verified sectors at once: all of them in one transaction, or none."""
    seals = []
    for report_id in report_ids:
        try:
            seals.append(report_certify(report_id=report_id, actor=actor, at=at))
        except TransitionRefused as refused:
            raise CertifyAllRefused(SectorReport.objects.select_related("sector").get(pk=report_id),
                                    refused) from None
    return seals

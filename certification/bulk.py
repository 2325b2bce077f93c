"""Many transitions at once, for loaders such as a simulated round, under the rules of certification.services.

Each step is checked in order, as its one-per-edge service would check it at that moment: the edge table, the
actor's permission, the three different people, the value checks on submit, the reasons on a return. The steps
that pass are written together (events, statuses, seals and the portal messages, in one transaction);
a refused step writes nothing and the later steps of its report are not taken.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, PairPolicy, lao_role_holders
from certification import seal as sealing
from certification.models import CertificationSeal, ReportEvent, TransitionAction
from certification.services import (
    CYCLE_ACTIONS,
    NOTIFIED,
    TransitionRefused,
    cycle_of,
    different_people_check,
    edge_check,
    return_reasons,
    submit_check,
    transition_dedupe_key,
    transition_message,
)
from info_portal.bulk import rows_insert
from info_portal.names import reader_language
from notifications import services as notifications
from notifications.models import Channel, Notification
from sectors import values
from sectors.bulk import Catalogue, previous_certified_values, value_rows
from sectors.checks import check_values
from sectors.models import IndicatorValue, ReportStatus, SectorReport


@dataclass(frozen=True)
class Step:
    report_id: int
    action: str
    actor: User
    at: datetime | None = None
    comment: str = ""
    field_reasons: dict[str, str] | None = None
    confirm_warnings: bool = False


@dataclass
class Transitions:
    events: list[ReportEvent] = field(default_factory=list)
    seals: list[CertificationSeal] = field(default_factory=list)
    refused: list[tuple[Step, TransitionRefused]] = field(default_factory=list)
    statuses: dict[int, str] = field(default_factory=dict)  # report id: status after the steps


class _Report:
    """A locked report as the steps leave it: its status and its submit / verify events, newest first."""

    def __init__(self, report: SectorReport):
        self.report = report
        self.status = report.status
        self.cycle: list[tuple[datetime, tuple, str, int]] = []  # (at, order, action, actor id)
        self.refused = False

    def push(self, at: datetime, order: tuple, action: str, actor_id: int) -> None:
        if action in CYCLE_ACTIONS:
            self.cycle.append((at, order, action, actor_id))
            self.cycle.sort(reverse=True)  # as the service reads them: newest (at, pk) first

    def different_people(self, actor: User, *, also_verifier: bool) -> None:
        different_people_check(cycle_of((action, actor_id) for _, _, action, actor_id in self.cycle), actor.pk,
                               also_verifier=also_verifier)


def _submit_inputs(reports: dict[int, _Report], steps: Sequence[Step], catalogue: Catalogue
                   ) -> tuple[dict[int, dict[str, IndicatorValue]], dict[int, dict], dict]:
    """What the checks of a submit and the seals read, in two queries: the rows of the reports submitted or
    certified, the rows of their LAOs' other sectors that the rules name, and last year's certified values."""
    submitted = {s.report_id for s in steps if s.action == TransitionAction.SUBMIT}
    sealed = {s.report_id for s in steps if s.action in (TransitionAction.CERTIFY, TransitionAction.REOPEN)}
    if not submitted | sealed:
        return {}, {}, {}
    lao_ids = {reports[pk].report.lao_id for pk in submitted}
    # The checks read other sectors only through the rules: their other items cannot change the result.
    ruled = set().union(*(parsed.codes for _rule, parsed in catalogue.rules)) if submitted else set()
    rows = value_rows(Q(report_id__in=list(submitted | sealed))
                      | Q(report__lao_id__in=list(lao_ids), report__fiscal_year=catalogue.fiscal_year,
                          indicator__code__in=list(ruled)), catalogue=catalogue)
    by_lao: dict[int, list[int]] = {}
    for report_id, lao_id in rows.lao_of.items():
        by_lao.setdefault(lao_id, []).append(report_id)
    others = {pk: {code: values.read(row) for other in by_lao.get(reports[pk].report.lao_id, []) if other != pk
                   for code, row in rows[other].items()} for pk in submitted}
    previous = previous_certified_values(
        ((reports[pk].report.lao_id, reports[pk].report.sector_id) for pk in submitted), catalogue.fiscal_year)
    return rows, others, previous


@transaction.atomic
def reports_transition_bulk(*, steps: Sequence[Step], catalogue: Catalogue | None = None) -> Transitions:
    """Take these steps in order under the rules of the one-per-edge services; a refused step writes nothing and
    ends its report's steps. PermissionDenied, as the services raise it, refuses them all."""
    done = Transitions()
    if not steps:
        return done
    last_seal = CertificationSeal.objects.filter(report=OuterRef("pk")).order_by("-number")
    locked = SectorReport.objects.select_for_update(of=("self",)) \
        .select_related("lao", "sector", "fiscal_year") \
        .annotate(last_seal_number=Subquery(last_seal.values("number")[:1]),
                  last_seal_sha256=Subquery(last_seal.values("sha256")[:1])) \
        .in_bulk({step.report_id for step in steps})
    catalogue = catalogue or Catalogue(next(iter(locked.values())).fiscal_year)
    reports = {pk: _Report(report) for pk, report in locked.items()}
    for report_id, pk, at, action, actor_id in ReportEvent.objects.filter(
            report_id__in=list(reports), action__in=CYCLE_ACTIONS).values_list("report_id", "pk", "at", "action",
                                                                                 "actor_id"):
        reports[report_id].push(at, (0, pk), action, actor_id)
    policy = PairPolicy({report.lao_id for report in locked.values()})
    rows, others, previous = _submit_inputs(reports, steps, catalogue)
    order = count()
    now = timezone.now()
    for step in steps:
        state = reports[step.report_id]
        if state.refused:
            continue
        try:
            event = _take(state, step, policy=policy, catalogue=catalogue, rows=rows, others=others,
                          previous=previous, now=now)
        except TransitionRefused as refused:
            state.refused = True
            done.refused.append((step, refused))
            continue
        state.push(event.at, (1, next(order)), event.action, event.actor_id)
        state.status = event.to_status
        done.events.append(event)
    rows_insert(ReportEvent, done.events)
    moved: dict[str, list[int]] = {}
    for pk in sorted({event.report_id for event in done.events}):
        moved.setdefault(reports[pk].status, []).append(pk)
    if moved:
        SectorReport.objects.filter(pk__in=[pk for pks in moved.values() for pk in pks]).update(
            status=Case(*(When(pk__in=pks, then=Value(status)) for status, pks in moved.items())), updated_at=now)
    latest = {pk: CertificationSeal(report_id=pk, number=report.last_seal_number, sha256=report.last_seal_sha256)
              for pk, report in locked.items() if report.last_seal_number}  # the seal a new one supersedes
    for event in done.events:
        if event.action == TransitionAction.CERTIFY:
            report, previous = reports[event.report_id].report, latest.get(event.report_id)
            text = sealing.canonical(sealing.payload_for(report, certified_by=event.actor.username,
                                                         certified_at=event.at, rows=rows.get(report.pk, {}),
                                                         supersedes=previous))
            latest[report.pk] = CertificationSeal(report=report, event=event, canonical=text,
                                                  sha256=sealing.digest(text), certified_by=event.actor,
                                                  number=previous.number + 1 if previous else 1,
                                                  certified_at=event.at)
            done.seals.append(latest[report.pk])
    _supersede(done)
    rows_insert(CertificationSeal, done.seals)
    for state in reports.values():
        state.report.status = state.status
    done.statuses = {pk: state.status for pk, state in reports.items()}
    _notify(done.events, reports)
    return done


def _take(state: _Report, step: Step, *, policy: PairPolicy, catalogue: Catalogue, rows: dict, others: dict,
          previous: dict, now: datetime) -> ReportEvent:
    """One step on the report as the steps before left it: the checks of its service, in the same order."""
    report, actor = state.report, step.actor
    comment, reasons, sealed = step.comment, {}, {}
    if step.action == TransitionAction.SUBMIT:
        if not policy.can(actor, Action.RECORD, report.lao_id):
            raise PermissionDenied
        stored = rows.get(report.pk, {})
        submit_check(check_values(
            indicators=catalogue.indicators_for(report), values={code: values.read(r) for code, r in stored.items()},
            other_sector_values=others.get(report.pk, {}), rules=catalogue.rules,
            last_year=previous.get((report.lao_id, report.sector_id), {}),
            reasons={code: r.change_reason for code, r in stored.items()}, lao_type=report.lao.lao_type,
            for_submit=True), confirm_warnings=step.confirm_warnings)
    elif step.action == TransitionAction.VERIFY:
        state.different_people(actor, also_verifier=False)
    elif step.action == TransitionAction.RETURN:
        reasons = return_reasons(comment=comment, field_reasons=step.field_reasons,
                                 known={i.code for i in catalogue.indicators_for(report)})
        state.different_people(actor, also_verifier=state.status == ReportStatus.VERIFIED)
    elif step.action == TransitionAction.CERTIFY:
        state.different_people(actor, also_verifier=True)
    elif step.action == TransitionAction.REOPEN and not (comment or "").strip():
        if not policy.can(actor, Action.REOPEN, report.lao_id):
            raise PermissionDenied
        raise TransitionRefused(_("กรุณาระบุเหตุผลที่เปิดแก้ไขข้อมูลที่รับรองแล้ว"))
    if step.action == TransitionAction.REOPEN:
        sealed = sealing.values_snapshot(rows.get(report.pk, {}))
    edge, comment = edge_check(action=step.action, status=state.status, comment=comment,
                               allowed=lambda permission: policy.can(actor, permission, report.lao_id))
    return ReportEvent(report=report, action=step.action, from_status=state.status, to_status=edge.target,
                       actor=actor, comment=comment, field_reasons=reasons, sealed_values=sealed, at=step.at or now)


def _supersede(done: Transitions) -> None:
    """A reopen supersedes the report's current seal, whether it was written before or by an earlier step."""
    for event in done.events:
        if event.action != TransitionAction.REOPEN:
            continue
        for seal in done.seals:
            if seal.report_id == event.report_id and seal.superseded_at is None:
                seal.superseded_at = event.at
        CertificationSeal.objects.filter(report_id=event.report_id, superseded_at__isnull=True) \
            .update(superseded_at=event.at)


def _notify(events: list[ReportEvent], reports: dict[int, _Report]) -> None:
    """The messages the services write for each step, for all the steps, in the same transaction as the steps."""
    if not events:
        return
    holders = lao_role_holders({reports[event.report_id].report.lao_id for event in events})
    by_lao: dict[int, list[tuple[int, object]]] = {}
    for lao_id, user_id, role in sorted(holders):
        by_lao.setdefault(lao_id, []).append((user_id, role))
    languages = dict(User.objects.filter(pk__in={user_id for _lao, user_id, _role in holders})
                     .values_list("pk", "language"))
    drafts = []
    for event in events:
        report, roles, messages = reports[event.report_id].report, NOTIFIED[event.action], {}
        for user_id, role in by_lao.get(report.lao_id, []):
            if role not in roles or user_id == event.actor_id:
                continue
            language = reader_language(languages.get(user_id))
            if language not in messages:
                messages[language] = transition_message(report, event, language=language)
            drafts.append(notifications.Draft(recipient_id=user_id, channel=Channel.PORTAL, message=messages[language],
                                              dedupe_key=transition_dedupe_key(event)))
    # Their keys name events of this transaction, which nobody else can have written: the rows go in as they are,
    # without the look-up of existing keys that notifications_write makes, and portal messages queue no delivery.
    rows_insert(Notification, notifications.notification_rows(drafts=drafts, now=timezone.now()))

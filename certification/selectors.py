"""Reads on the certification workflow: what waits for whom, the review of one report, its latest return."""

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import CharField, DateTimeField, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from certification.models import ReportEvent, TransitionAction
from organizations.models import LAO
from sectors import selectors as sector_selectors
from sectors import services as sector_services
from sectors.checks import CheckResult, Issue
from sectors.forms import format_value
from sectors.models import FiscalYear, Indicator, ReportStatus, SectorReport, Severity, ValueChange
from sectors.values import numeric
from sectors.workflow import waiting_for

SENT_BACK = (TransitionAction.RETURN, TransitionAction.REOPEN)


def report_or_404(user: User, report_id: int) -> SectorReport:
    """The report if the user may see its LAO; otherwise 404, never a hint that it exists."""
    report = get_object_or_404(SectorReport.objects.select_related("sector", "fiscal_year", "updated_by"),
                               pk=report_id)
    report.lao = policy.lao_or_404(user, report.lao_id)
    return report


def latest_return(report: SectorReport) -> ReportEvent | None:
    """The latest time the report was sent back to its recorder (returned, or reopened after certification),
    with the comment and the reasons per item."""
    if report.pk is None:
        return None
    return ReportEvent.objects.filter(report=report, action__in=SENT_BACK) \
        .select_related("actor").order_by("-at", "-pk").first()


def report_events(report: SectorReport) -> list[ReportEvent]:
    return list(ReportEvent.objects.filter(report=report).select_related("actor").order_by("at", "pk"))


# --- what waits for me -------------------------------------------------------------------------------------------

def _latest_event(field_name: str, actions: tuple[str, ...] | None = None, output=None) -> Subquery:
    events = ReportEvent.objects.filter(report=OuterRef("pk"))
    if actions is not None:
        events = events.filter(action__in=actions)
    return Subquery(events.order_by("-at", "-pk").values(field_name)[:1], output_field=output)


def _waiting(lao_ids: Collection[int], statuses: tuple[str, ...], *, lao_id: int | None = None,
             be_year: int | None = None) -> QuerySet[SectorReport]:
    """Reports of these LAOs in these statuses (of one LAO or year if given), each with its latest event: when,
    by whom, the comment."""
    reports = SectorReport.objects.filter(lao_id__in=lao_ids, status__in=statuses)
    if lao_id is not None:
        reports = reports.filter(lao_id=lao_id)
    if be_year is not None:
        reports = reports.filter(fiscal_year__be_year=be_year)
    return reports \
        .select_related("lao__province", "lao__district", "sector", "fiscal_year") \
        .annotate(
            since=Coalesce(_latest_event("at", output=DateTimeField()), F("updated_at")),
            event_action=_latest_event("action", output=CharField()),
            event_comment=_latest_event("comment", output=CharField()),
            event_actor=_latest_event("actor__full_name", output=CharField()),
            submitted_by_id=_latest_event("actor_id", (TransitionAction.SUBMIT,), IntegerField()),
            verified_by_id=_latest_event("actor_id", (TransitionAction.VERIFY,), IntegerField()),
        )


@dataclass
class CertifyGroup:
    """The verified sectors of one LAO in one year: the head may certify them one by one or all at once."""

    lao: LAO
    fiscal_year: FiscalYear
    reports: list[SectorReport] = field(default_factory=list)


@dataclass
class Queue:
    to_verify: list[SectorReport]
    to_certify: list[SectorReport]
    to_fix: list[SectorReport]  # returned first, then drafts
    roles: set[Action]  # the LAO roles the user holds somewhere: which lists to show, even when empty

    @property
    def certify_groups(self) -> list[CertifyGroup]:
        groups: dict[tuple[int, int], CertifyGroup] = {}
        for report in self.to_certify:
            key = (report.lao_id, report.fiscal_year_id)
            groups.setdefault(key, CertifyGroup(report.lao, report.fiscal_year)).reports.append(report)
        return list(groups.values())

    @property
    def returned(self) -> list[SectorReport]:
        return [r for r in self.to_fix if r.is_returned]

    @property
    def total(self) -> int:
        return len(self.to_verify) + len(self.to_certify) + len(self.to_fix)


def queue_for(user: User, *, lao_id: int | None = None, be_year: int | None = None) -> Queue:
    """What waits for the user across every LAO where they hold a role: submitted reports to verify, verified
    ones to certify, returned ones and drafts to finish. A report waits for a verifier or a certifier only if
    they did not already submit or verify it themselves (the three must be different people). `lao_id` and
    `be_year` narrow every list to one LAO or one fiscal year."""
    # The user's roles are read once (policy.serves_any_lao), so the LAO ids below come from memory.
    if not policy.serves_any_lao(user):
        return Queue(to_verify=[], to_certify=[], to_fix=[], roles=set())
    record, verify, certify = (policy.lao_ids_for(user, action) for action in (Action.RECORD, Action.VERIFY,
                                                                                   Action.CERTIFY))
    roles = {action for action, laos in ((Action.RECORD, record), (Action.VERIFY, verify),
                                         (Action.CERTIFY, certify)) if laos}
    order = ("since", "lao__name_th", "sector__order")
    only = {"lao_id": lao_id, "be_year": be_year}
    to_verify = [r for r in _waiting(verify, waiting_for(Action.VERIFY), **only).order_by(*order)
                 if r.submitted_by_id != user.pk] if Action.VERIFY in roles else []
    to_certify = [r for r in _waiting(certify, waiting_for(Action.CERTIFY), **only)
                  .order_by("lao__name_th", "lao_id", "-fiscal_year__be_year", "sector__order")
                  if user.pk not in (r.submitted_by_id, r.verified_by_id)] if Action.CERTIFY in roles else []
    to_fix = sorted(_waiting(record, waiting_for(Action.RECORD), **only).order_by(*order),
                    key=lambda r: not r.is_returned) if Action.RECORD in roles else []
    return Queue(to_verify=to_verify, to_certify=to_certify, to_fix=to_fix, roles=roles)


def returns_sent_by(user: User, *, lao_id: int | None = None, be_year: int | None = None) -> list[SectorReport]:
    """Reports the user sent back (as verifier or head) that are still with their recorder, the oldest first;
    `returned_from` tells the verifier's returns ("submitted") from the head's ("verified")."""
    if not policy.serves_any_lao(user):  # reads the roles once: the ids below come from memory
        return []
    lao_ids = policy.lao_ids_for(user, Action.VERIFY) | policy.lao_ids_for(user, Action.CERTIFY)
    return list(_waiting(lao_ids, (ReportStatus.RETURNED,), lao_id=lao_id, be_year=be_year)
                .annotate(returned_by_id=_latest_event("actor_id", SENT_BACK, IntegerField()),
                          returned_from=_latest_event("from_status", SENT_BACK, CharField()))
                .filter(returned_by_id=user.pk).order_by("since", "lao__name_th", "sector__order"))


# --- the review of one report -------------------------------------------------------------------------------------

@dataclass
class ReviewItem:
    """One item as the verifier and the certifier see it: this year's value beside last year's certified one."""

    indicator: Indicator
    value: Any
    last_year: Any
    reason: str  # the recorder's reason for a big change
    issues: list[Issue]
    return_reason: str = ""  # the reason this item was last sent back for

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def display(self) -> str:
        return format_value(self.value)

    @property
    def last_year_display(self) -> str:
        return format_value(self.last_year)

    @property
    def change(self) -> Decimal | None:
        now, before = numeric(self.value), numeric(self.last_year)
        if now is None or before is None:
            return None
        return now - before

    @property
    def change_display(self) -> str:
        change = self.change
        if change is None:
            return ""
        return ("+" if change > 0 else "") + format_value(change)

    @property
    def change_percent(self) -> Decimal | None:
        change, before = self.change, numeric(self.last_year)
        if change is None or not before:
            return None
        return (change / abs(before) * 100).quantize(Decimal("0.1"))

    @property
    def change_percent_display(self) -> str:
        percent = self.change_percent
        if percent is None:
            return ""
        return f"{'+' if percent > 0 else ''}{percent:,f}%"

    @property
    def has_error(self) -> bool:
        return any(issue.severity == Severity.ERROR for issue in self.issues)


@dataclass
class ReviewSection:
    name: str
    items: list[ReviewItem]


@dataclass
class Review:
    sections: list[ReviewSection]
    checks: CheckResult
    last_return: ReportEvent | None

    @property
    def items(self) -> list[ReviewItem]:
        return [item for section in self.sections for item in section.items]

    @property
    def filled(self) -> int:
        return sum(1 for item in self.items if item.value is not None)

    def report_issues(self) -> list[Issue]:
        """Issues that belong to no single item."""
        return [issue for issue in self.checks.issues if issue.code is None]


def report_review(report: SectorReport) -> Review:
    """Every item of the report with its stored value, last year's certified value, the change, the recorder's
    reason, the issues a submission would meet, and the reasons of the latest return."""
    indicators = sector_selectors.indicators_for(report)
    rows = sector_selectors.report_rows(report)
    stored = sector_selectors.report_values(report)
    reasons = {code: row.change_reason for code, row in rows.items()}
    last_year = sector_selectors.previous_certified_values(report)
    checks = sector_services.report_check(report=report, new_values=stored, reasons=reasons, for_submit=True,
                                          indicators=indicators)
    last_return = latest_return(report)
    returned_reasons = last_return.field_reasons if last_return is not None else {}
    sections: dict[str, ReviewSection] = {}
    for indicator in indicators:
        code = indicator.code
        item = ReviewItem(indicator=indicator, value=stored.get(code), last_year=last_year.get(code),
                          reason=reasons.get(code, ""), issues=checks.for_code(code),
                          return_reason=returned_reasons.get(code, ""))
        sections.setdefault(indicator.section, ReviewSection(indicator.display_section, [])).items.append(item)
    return Review(sections=list(sections.values()), checks=checks, last_return=last_return)


def verified_reports(lao: LAO, fiscal_year: FiscalYear) -> list[SectorReport]:
    """The LAO's sectors of the year that wait for certification, in sector order."""
    return list(SectorReport.objects.filter(lao=lao, fiscal_year=fiscal_year, status=ReportStatus.VERIFIED)
                .select_related("lao", "sector", "fiscal_year").order_by("sector__order"))


def other_reports(lao: LAO, fiscal_year: FiscalYear) -> list[SectorReport]:
    """The LAO's sectors of the year that are not waiting for certification: shown apart on the summary."""
    return list(SectorReport.objects.filter(lao=lao, fiscal_year=fiscal_year)
                .exclude(status=ReportStatus.VERIFIED).select_related("sector").order_by("sector__order"))


def report_timeline(report: SectorReport):
    """Transitions and value changes as one list of (kind, moment, id), newest first, paged in the database."""
    def keyed(queryset, kind: str, moment: str):
        return queryset.order_by().annotate(kind=Value(kind, output_field=CharField()), moment=F(moment),
                                            ident=F("pk")).values_list("kind", "moment", "ident")
    events = keyed(ReportEvent.objects.filter(report=report), "event", "at")
    changes = keyed(ValueChange.objects.filter(value__report=report), "change", "changed_at")
    return events.union(changes, all=True).order_by("-moment", "kind", "-ident")

"""The certification graph: one literal table of allowed edges, and what follows from it for each status of a report:
the step it waits for, who takes it, what the step is called and where it is taken. Nothing else decides what may
follow what, or whose turn it is.

draft ──submit──▶ submitted ──verify──▶ verified ──certify──▶ certified
  ▲                  │                    │                      │
  └──── return ◀─────┴────── return ◀─────┘                      │
  └──────────────────────── reopen (province / department) ◀─────┘
(a returned report is a draft with a return comment: status "returned")

The steps are carried out by certification.services, one service per edge; the table lives here, beside the
report's status, so that every app above (certification, deadlines, home) and the sector pages ask the same one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.policy.roles import LAO_ACTION_ROLES, Action, Role

if TYPE_CHECKING:
    from sectors.models import SectorReport


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("กำลังบันทึก")
    RETURNED = "returned", _("ส่งกลับแก้ไข")
    SUBMITTED = "submitted", _("รอตรวจสอบ")
    VERIFIED = "verified", _("รอรับรอง")
    CERTIFIED = "certified", _("รับรองแล้ว")


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class TransitionAction(models.TextChoices):
    SUBMIT = "submit", _("ส่งตรวจสอบ")
    RETURN = "return", _("ส่งกลับแก้ไข")
    VERIFY = "verify", _("ตรวจสอบแล้ว")
    CERTIFY = "certify", _("รับรองข้อมูล")
    REOPEN = "reopen", _("เปิดแก้ไขข้อมูลที่รับรองแล้ว")


@dataclass(frozen=True)
class Edge:
    action: str
    source: str
    target: str
    permission: Action  # what the actor must be allowed to do on the report's LAO

    @property
    def sends_back(self) -> bool:
        """A return or a reopen: the report goes back to its recorder instead of moving on."""
        return self.target == ReportStatus.RETURNED


EDGES: tuple[Edge, ...] = (
    Edge(TransitionAction.SUBMIT, ReportStatus.DRAFT, ReportStatus.SUBMITTED, Action.RECORD),
    Edge(TransitionAction.SUBMIT, ReportStatus.RETURNED, ReportStatus.SUBMITTED, Action.RECORD),
    Edge(TransitionAction.VERIFY, ReportStatus.SUBMITTED, ReportStatus.VERIFIED, Action.VERIFY),
    Edge(TransitionAction.RETURN, ReportStatus.SUBMITTED, ReportStatus.RETURNED, Action.VERIFY),
    Edge(TransitionAction.RETURN, ReportStatus.VERIFIED, ReportStatus.RETURNED, Action.CERTIFY),
    Edge(TransitionAction.CERTIFY, ReportStatus.VERIFIED, ReportStatus.CERTIFIED, Action.CERTIFY),
    Edge(TransitionAction.REOPEN, ReportStatus.CERTIFIED, ReportStatus.RETURNED, Action.REOPEN),
)


def edge_for(action: str, source: str) -> Edge | None:
    """The edge that `action` takes from `source`, or None if the graph has no such edge."""
    return next((edge for edge in EDGES if edge.action == action and edge.source == source), None)


def actions_from(source: str) -> list[Edge]:
    return [edge for edge in EDGES if edge.source == source]


# --- whose turn it is ---------------------------------------------------------------------------------------------

# What each step forward is called on a button, what it asks of its role in a reminder, and the page where it is
# taken: the recorder's on the report page, the verifier's and the head's on the review page.
_LABELS: dict[str, tuple[Promise, Promise]] = {
    TransitionAction.SUBMIT: (_("บันทึกข้อมูล"), _("บันทึกข้อมูลและส่งตรวจสอบ")),
    TransitionAction.VERIFY: (_("ตรวจสอบ"), _("ตรวจสอบข้อมูล")),
    TransitionAction.CERTIFY: (_("รับรอง"), _("รับรองข้อมูล")),
}
_ON_REVIEW_PAGE = (TransitionAction.VERIFY, TransitionAction.CERTIFY)


@dataclass(frozen=True)
class Step:
    """The step a report waits for at its status: the edge that moves it on, and who takes it."""

    edge: Edge

    @property
    def action(self) -> str:
        return self.edge.action

    @property
    def permission(self) -> Action:
        """What the user must be allowed to do on the LAO to take the step."""
        return self.edge.permission

    @property
    def role(self) -> Role | None:
        return LAO_ACTION_ROLES.get(self.edge.permission)

    @property
    def is_fix(self) -> bool:
        """The recorder's step on a report sent back: fix what the return asks, then send it again."""
        return self.edge.source == ReportStatus.RETURNED

    @property
    def label(self) -> str:
        return str(_("แก้ไขตามที่ส่งกลับ") if self.is_fix else _LABELS[self.action][0])

    @property
    def task(self) -> str:
        """What the step asks of its role, as a reminder says it."""
        return str(_LABELS[self.action][1])

    @property
    def on_review_page(self) -> bool:
        return self.action in _ON_REVIEW_PAGE

    def url(self, report: SectorReport) -> str:
        """The page where the step is taken on this report (stored, or not yet started for the recorder)."""
        if self.on_review_page:
            return reverse("certification:review", args=[report.pk])
        return report.get_absolute_url()


def _pending(status: str) -> Step | None:
    forward = [edge for edge in actions_from(status) if not edge.sends_back]
    return Step(forward[0]) if forward else None


# Status → the step a report waits for; None once it is certified. A sector with no report yet waits, like a
# draft, for its recorder.
PENDING: dict[str | None, Step | None] = {status: _pending(status) for status in ReportStatus.values}
PENDING[None] = PENDING[ReportStatus.DRAFT]


def pending_step(status: str | None) -> Step | None:
    """The step a report in `status` (None: not started) waits for, or None when nothing is left to do."""
    return PENDING[status]


def waiting_for(permission: Action) -> tuple[str, ...]:
    """The statuses of stored reports whose step is taken by whoever may `permission` (the recorder's also include
    a sector not yet started, which has no report)."""
    return tuple(status for status in ReportStatus.values if PENDING[status] is not None
                 and PENDING[status].permission == permission)

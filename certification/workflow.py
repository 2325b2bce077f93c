"""The certification graph: one literal table of allowed edges; nothing else decides what may follow what.

draft ──submit──▶ submitted ──verify──▶ verified ──certify──▶ certified
  ▲                  │                    │                      │
  └──── return ◀─────┴────── return ◀─────┘                      │
  └──────────────────────── reopen (province / department) ◀─────┘
(a returned report is a draft with a return comment: status "returned")
"""

from dataclasses import dataclass

from accounts.policy import Action
from certification.models import TransitionAction
from sectors.models import ReportStatus


@dataclass(frozen=True)
class Edge:
    action: str
    source: str
    target: str
    permission: Action  # what the actor must be allowed to do on the report's LAO


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

"""The verifier's and the head's work lists: how many reports wait at their step, the oldest first, and the
returns they sent that their recorders have not yet sent back. Read from the queue of certification.selectors,
so the home page and งานที่รอฉัน count the same reports."""

from dataclasses import dataclass

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from certification.selectors import Queue, returns_sent_by
from sectors.models import SectorReport
from sectors.workflow import waiting_for

OLDEST_SHOWN = 5


@dataclass
class ReviewWork:
    step: str  # "verify" or "certify": the queue filter of its lists
    waiting: list[SectorReport]  # the oldest first
    returns_open: list[SectorReport]  # sent back by this user at this step, still with the recorder

    @property
    def oldest(self) -> list[SectorReport]:
        return self.waiting[:OLDEST_SHOWN]


def review_work(user: User, queue: Queue) -> list[ReviewWork]:
    """One work list per review role the user holds (verifier, head), in that order."""
    if Action.VERIFY not in queue.roles and Action.CERTIFY not in queue.roles:
        return []
    returns = returns_sent_by(user)
    work = []
    for action, waiting in ((Action.VERIFY, queue.to_verify), (Action.CERTIFY, queue.to_certify)):
        if action not in queue.roles:
            continue
        work.append(ReviewWork(
            step=str(action), waiting=sorted(waiting, key=lambda report: report.since),
            # A return from the status the verifier works on is the verifier's, from the head's the head's.
            returns_open=[report for report in returns if report.returned_from in waiting_for(action)
                          and policy.can(user, action, report.lao)],
        ))
    return work

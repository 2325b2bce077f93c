"""The reminder plan: on a given day, who hears what about a round, at every level, and never twice.

`plan(snapshot, today)` is pure: from one read of the round (`selectors.round_snapshot`) it lists the messages due
that day, one per recipient and stage. LAO users hear the sectors waiting at their step; district officers a digest
of their LAOs behind, with each one's state and contacts; provincial officers a digest per district; the department
a digest per province. Nobody with nothing pending hears anything. `announcement_plan` and `chase_plan` do the same
for the publication of a round and for a reminder sent by hand. `reminders_plan` writes what is due as Notification
rows under unique keys and queues the e-mails once the transaction commits.

The parts: stages (the calendar and its words), planner (one pass over a snapshot, level by level) and plans (the
three plans, each in every recipient's language). Writing stays here: `reminders_plan` calls `messages_write` by its
name in this package.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from deadlines.models import ReportingRound
from deadlines.reminders.planner import PlannedMessage
from deadlines.reminders.plans import announcement_plan, chase_plan, in_each_language, plan
from deadlines.reminders.stages import (
    ANNOUNCE,
    CHASE,
    KINDS,
    LEVELS,
    PHASES,
    days_text,
    phase_of,
    stage_label,
    stage_on,
)
from deadlines.selectors import round_snapshot, rounds_open_on
from notifications.services import Written, notifications_write

__all__ = [
    "ANNOUNCE", "CHASE", "KINDS", "LEVELS", "PHASES", "PlannedMessage", "RoundPlan", "announcement_plan", "chase_plan",
    "days_text", "in_each_language", "messages_write", "phase_of", "plan", "reminders_plan", "stage_label",
    "stage_on",
]


def messages_write(planned: Iterable[PlannedMessage]) -> Written:
    """Write planned messages (portal and e-mail) under their keys in bulk; e-mails are queued on commit."""
    return notifications_write(drafts=[draft for message in planned for draft in message.drafts()])


@dataclass
class RoundPlan:
    round: ReportingRound
    messages: list[PlannedMessage]
    written: Written | None  # None on a dry run


@transaction.atomic
def reminders_plan(*, today: date, dry_run: bool = False) -> list[RoundPlan]:
    """Plan the reminders due on `today` for every published round still open and, unless `dry_run`, write them
    under unique keys and queue the e-mails once the transaction commits. Running it again for the same day, or
    twice at once, writes and sends nothing more."""
    plans = []
    for round_ in rounds_open_on(today):
        planned = plan(round_snapshot(round_, on=today), today)
        plans.append(RoundPlan(round=round_, messages=planned, written=None if dry_run else messages_write(planned)))
    return plans

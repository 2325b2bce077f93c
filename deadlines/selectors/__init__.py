"""Reads on rounds: which deadline applies to an LAO, a district or a province (books), the whole state of a round
for its reminders (snapshot), and the deadline each user sees (mine)."""

from deadlines.selectors.books import (
    OPEN_AFTER_DEADLINE,
    AppliedDeadline,
    DeadlineBook,
    current_round,
    deadline_for,
    published_book,
    round_last_day,
    round_of,
    rounds_open_on,
)
from deadlines.selectors.mine import MyDeadline, chases_of, lao_deadline_context, my_deadline
from deadlines.selectors.snapshot import (
    PERSON_FIELDS,
    LaoState,
    Person,
    RoundSnapshot,
    round_snapshot,
)

__all__ = [
    "OPEN_AFTER_DEADLINE", "PERSON_FIELDS", "AppliedDeadline", "DeadlineBook", "LaoState",
    "MyDeadline", "Person", "RoundSnapshot", "chases_of", "current_round", "deadline_for", "lao_deadline_context",
    "my_deadline", "published_book", "round_last_day", "round_of", "round_snapshot", "rounds_open_on",
]

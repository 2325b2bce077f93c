"""The department's home names the state of the round: not set, not published, not yet open, open, past the
national certify-by date, closed."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from home.selectors import RoundState, round_state
from home.selectors.nation import _days


@pytest.mark.parametrize(("today", "is_published", "state"), [
    (date(2025, 5, 1), False, RoundState.DRAFT),
    (date(2025, 5, 1), True, RoundState.UPCOMING),
    (date(2025, 5, 24), True, RoundState.OPEN),
    (date(2025, 6, 15), True, RoundState.OPEN),
    (date(2025, 6, 16), True, RoundState.OVERDUE),
    (date(2025, 7, 1), True, RoundState.OVERDUE),
    (date(2025, 7, 2), True, RoundState.CLOSED),
])
def test_the_round_state_on_each_day(round_, today, is_published, state):
    reporting_round = round_.round
    reporting_round.closes_on = date(2025, 7, 1)
    reporting_round.published_at = timezone.make_aware(datetime(2025, 5, 1, 9)) if is_published else None
    assert round_state(reporting_round, today) == state


def test_no_round_is_its_own_state():
    assert round_state(None, date(2025, 6, 1)) == RoundState.NONE


def test_a_long_round_is_drawn_with_at_most_thirty_points_from_its_first_day_to_today():
    days = _days(date(2025, 1, 1), date(2025, 6, 30))
    assert days[0] == date(2025, 1, 1) and days[-1] == date(2025, 6, 30)
    assert len(days) <= 30 and days == sorted(set(days))
    assert _days(date(2025, 6, 1), date(2025, 6, 1)) == [date(2025, 6, 1)]

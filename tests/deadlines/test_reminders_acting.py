"""The acting head of an LAO hears the certifier's reminders while the appointment runs, and not outside it."""

from datetime import date

import pytest

from accounts.models import ActingAppointment, ActingCapacity
from deadlines import reminders
from deadlines.selectors import round_snapshot
from tests.conftest import make_user
from tests.deadlines.conftest import set_statuses


@pytest.fixture
def deputy(world, district_officer):
    deputy = make_user("deputy", full_name="นายปลัด รักษาการ")
    ActingAppointment.objects.create(lao=world.lao_a1, user=deputy, capacity=ActingCapacity.ACTING,
                                     acting_for="นายกเทศมนตรีตำบลด่านขุนทด", order_ref="คำสั่งที่ 1/2568",
                                     starts_on=date(2025, 6, 1), ends_on=date(2025, 6, 10),
                                     appointed_by=district_officer)
    return deputy


def usernames_on(round_, day: date) -> set[str]:
    planned = reminders.plan(round_snapshot(round_, on=day), day)
    return {message.recipient.username for message in planned if message.level == "lao"}


@pytest.mark.parametrize(("day", "hears"), [
    (date(2025, 6, 8), True),  # certify-by 15 June minus 7, within the order
    (date(2025, 6, 12), False),  # minus 3: the order ended on the 10th
    (date(2025, 6, 1), True),  # minus 14, the first day of the order
])
def test_the_acting_head_hears_only_within_the_appointment(world, published_round, people, deputy, day, hears):
    set_statuses(world.lao_a1, published_round.fiscal_year, "verified")
    heard = usernames_on(published_round, day)
    assert "certifier" in heard
    assert ("deputy" in heard) is hears


def test_the_daily_plan_asks_for_the_certifiers_of_its_day(world, published_round, people, deputy):
    set_statuses(world.lao_a1, published_round.fiscal_year, "verified")
    [round_plan] = reminders.reminders_plan(today=date(2025, 6, 8), dry_run=True)
    assert "deputy" in {message.recipient.username for message in round_plan.messages}

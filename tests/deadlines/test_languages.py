"""Reminders are planned in each person's language: English for those who chose it, Thai for the others."""

from datetime import date

from deadlines import reminders
from deadlines.selectors import round_snapshot
from tests.deadlines.conftest import set_statuses


def test_reminders_are_planned_in_each_persons_language(world, published_round, people):
    people["recorder"].language = "en"
    people["recorder"].save()
    set_statuses(world.lao_a1, published_round.fiscal_year, "draft")

    planned = reminders.plan(round_snapshot(published_round), date(2025, 6, 3))  # record-by minus 7

    [message] = [m for m in planned if m.recipient.username == "recorder"]
    assert message.message.title == "Due in 7 day(s): INFO data for FY 2568 awaits your action in 8 sector(s)"
    assert "10 June 2025" in message.message.body
    assert [s["name"] for s in message.message.data["work"][0]["sectors"]][:1] == ["Public health and environment"]


def test_a_district_digest_in_thai_beside_an_english_one(world, published_round, people):
    people["district"].language = "en"
    people["district"].save()
    set_statuses(world.lao_a1, published_round.fiscal_year, "draft")

    planned = reminders.plan(round_snapshot(published_round), date(2025, 6, 8))  # certify-by minus 7

    by_name = {m.recipient.username: m.message for m in planned}
    assert "Dan Khun Thot District" in by_name["district"].title
    assert "อำเภอด่านขุนทด" in by_name["province"].body
    assert "อำเภอ" not in by_name["district"].body

"""The reminder plan for each stage and each role, with `today` passed in; running it twice sends nothing twice."""

import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection, connections

from deadlines import reminders, services
from deadlines.reminders import stage_on
from deadlines.selectors import round_snapshot
from deadlines.tasks import reminders_plan_task
from notifications.models import Channel, DeliveryStatus, Notification
from tests.deadlines.conftest import CERTIFY_BY, set_statuses

MIXED = {"health_environment": "draft", "innovation_education": "returned", "public_health": "submitted",
         "infrastructure": "verified", "water": "certified", "governance": "certified", "society_culture": "certified"}


def plan_on(round_, day: date) -> list[reminders.PlannedMessage]:
    return reminders.plan(round_snapshot(round_), day)


def recipients(planned, level: str | None = None) -> set[str]:
    return {message.recipient.username for message in planned if level is None or message.level == level}


def only(planned, username: str) -> reminders.PlannedMessage:
    [message] = [message for message in planned if message.recipient.username == username]
    return message


@pytest.mark.parametrize(("today", "stage"), [
    (date(2025, 5, 20), None),  # before the round opens
    (date(2025, 6, 1), "t-14"),
    (date(2025, 6, 5), None),
    (date(2025, 6, 8), "t-7"),
    (date(2025, 6, 12), "t-3"),
    (date(2025, 6, 14), "t-1"),
    (date(2025, 6, 15), "t-0"),
    (date(2025, 6, 16), None),
    (date(2025, 6, 18), "overdue-3"),
    (date(2025, 6, 19), None),
    (date(2025, 6, 21), "overdue-6"),
    (date(2025, 7, 30), "overdue-45"),
    (date(2025, 8, 2), None),  # overdue 48 days, but the round closed on 31 July
])
def test_the_stage_a_deadline_reaches_on_each_day(published_round, today, stage):
    assert stage_on(published_round, CERTIFY_BY, today) == stage


def test_stages_are_set_per_round(published_round):
    published_round.reminder_stages, published_round.overdue_every_days = [5], 0
    assert stage_on(published_round, CERTIFY_BY, date(2025, 6, 10)) == "t-5"
    assert stage_on(published_round, CERTIFY_BY, date(2025, 6, 8)) is None
    assert stage_on(published_round, CERTIFY_BY, date(2025, 6, 18)) is None  # no overdue reminders at all


def test_the_recorder_hears_drafts_returns_and_untouched_sectors_on_the_record_by_stages(world, published_round,
                                                                                       people):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    planned = plan_on(published_round, date(2025, 6, 3))  # record-by 10 June minus 7; certify-by minus 12

    assert recipients(planned) == {"recorder"}
    message = only(planned, "recorder")
    [work] = message.message.data["work"]
    assert [sector["name"] for sector in work["sectors"]] == [
        "ด้านสาธารณสุขและสิ่งแวดล้อม", "ด้านนวัตกรรมและการศึกษา", "ด้านเศรษฐกิจและท่องเที่ยว"]
    assert [sector["status"] for sector in work["sectors"]] == ["กำลังบันทึก", "ส่งกลับแก้ไข", "ยังไม่เริ่มบันทึก"]
    assert (message.stage, message.message.kind) == ("t-7", "reminder_lao")
    assert message.message.link == f"/data/lao/{world.lao_a1.pk}/2568/"
    assert "อีก 7 วันครบกำหนด" in message.message.title and "3 ด้าน" in message.message.title
    assert "10 มิถุนายน 2568" in message.message.body


def test_the_verifier_and_the_certifier_hear_only_their_step(world, published_round, people):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    planned = plan_on(published_round, date(2025, 6, 8))  # certify-by 15 June minus 7

    verifier, certifier = only(planned, "verifier"), only(planned, "certifier")
    assert [s["name"] for s in verifier.message.data["work"][0]["sectors"]] == ["ด้านสาธารณสุข"]
    assert [s["name"] for s in certifier.message.data["work"][0]["sectors"]] == ["ด้านโครงสร้างพื้นฐาน"]
    assert verifier.message.link == certifier.message.link == "/workflow/queue/"
    assert "recorder" not in recipients(planned)  # record-by was 2 days ago: not an overdue stage


def test_each_level_hears_on_its_own_stage_day(world, published_round, people):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    planned = plan_on(published_round, date(2025, 6, 8))

    assert recipients(planned, "district") == {"district"}
    assert recipients(planned, "province") == {"province"}
    assert recipients(planned, "department") == {"department"}
    assert recipients(planned, "lao") == {"verifier", "certifier"}
    assert {message.stage for message in planned} == {"t-7"}


def test_the_district_digest_lists_its_laos_behind_with_their_state_and_contacts(world, published_round, people):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    digest = only(plan_on(published_round, date(2025, 6, 8)), "district").message

    rows = {row["name"]: row for row in digest.data["laos"]}
    assert set(rows) == {world.lao_a1.name_th, world.lao_a1_sao.name_th}
    a1 = rows[world.lao_a1.name_th]
    assert (a1["phase"], a1["recording"], a1["verifying"], a1["certifying"], a1["certified"]) == \
        ("recording", 3, 1, 1, 3)
    assert [(c["role"], c["name"], c["email"]) for c in a1["contacts"]] == [
        ("ผู้บันทึกข้อมูล", "recorder", "recorder@example.test"),
        ("ผู้ตรวจสอบข้อมูล", "verifier", "verifier@example.test"),
        ("ผู้รับรองข้อมูล", "certifier", "certifier@example.test")]
    assert rows[world.lao_a1_sao.name_th]["contacts"] == []
    assert a1["chase"] == f"/deadlines/lao/{world.lao_a1.pk}/chase/"
    assert (digest.data["behind"], digest.data["total"]) == (2, 2)
    assert "recorder@example.test" in digest.body
    assert digest.link == f"/org/districts/{world.district_a1.code}/"


def test_the_province_hears_a_digest_per_district_and_the_department_one_per_province(world, published_round,
                                                                                      people):
    set_statuses(world.lao_a2, published_round.fiscal_year, "certified")
    planned = plan_on(published_round, date(2025, 6, 8))

    province = only(planned, "province").message.data
    assert [(row["name"], row["behind"], row["total"]) for row in province["districts"]] == [
        (world.district_a1.name_th, 2, 2)]  # A2's only LAO has certified every sector
    assert [row["name"] for row in province["direct"]] == [world.pao_a.name_th]
    assert (province["behind"], province["total"]) == (3, 4)
    department = only(planned, "department").message.data
    assert [(row["name"], row["behind"], row["total"]) for row in department["provinces"]] == [
        (world.province_a.name_th, 3, 4), (world.province_b.name_th, 1, 1)]


def test_nothing_goes_to_anyone_with_nothing_pending(world, published_round, people):
    for lao in (world.pao_a, world.lao_a1, world.lao_a1_sao, world.lao_a2, world.lao_b1):
        set_statuses(lao, published_round.fiscal_year, "certified")
    assert plan_on(published_round, date(2025, 6, 8)) == []

    set_statuses(world.lao_a1, published_round.fiscal_year, {"water": "submitted"})
    planned = plan_on(published_round, date(2025, 6, 8))
    assert recipients(planned) == {"verifier", "district", "province", "department"}


def test_internal_deadlines_move_each_level_stages(world, published_round, people):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    services.level_deadline_set(actor=people["province"], round_=published_round, unit=world.province_a,
                                record_by=date(2025, 6, 8), certify_by=date(2025, 6, 12))
    services.level_deadline_set(actor=people["district"], round_=published_round, unit=world.district_a1,
                                record_by=date(2025, 6, 6), certify_by=date(2025, 6, 10))

    # District A1: certify-by 10 June (T-7 on the 3rd), record-by 6 June (T-3 on the 3rd, T-1 on the 5th).
    assert recipients(plan_on(published_round, date(2025, 6, 3))) == {"district", "verifier", "certifier",
                                                                      "recorder"}
    assert recipients(plan_on(published_round, date(2025, 6, 5))) == {"province", "recorder"}
    assert recipients(plan_on(published_round, date(2025, 6, 8))) == {"department"}
    district = only(plan_on(published_round, date(2025, 6, 3)), "district").message
    assert "10 มิถุนายน 2568" in district.body


def test_an_extension_gives_the_lao_a_new_set_of_reminders(world, published_round, people,
                                                           django_capture_on_commit_callbacks):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_plan(today=date(2025, 6, 8))
    services.extension_grant(actor=people["province"], round_=published_round, unit=world.lao_a1,
                             certify_by=date(2025, 6, 30), reason="น้ำท่วมสำนักงาน")

    assert "verifier" not in recipients(plan_on(published_round, date(2025, 6, 15)))
    with django_capture_on_commit_callbacks(execute=True):
        [plan] = reminders.reminders_plan(today=date(2025, 6, 23))
    verifier = only(plan.messages, "verifier")
    assert verifier.stage == "t-7" and "30 มิถุนายน 2568" in verifier.message.body
    assert Notification.objects.filter(recipient=people["verifier"], stage="t-7", channel=Channel.EMAIL).count() == 2


def test_overdue_reminders_every_three_days_until_the_round_closes(world, published_round, people):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    days = [CERTIFY_BY + timedelta(days=n) for n in range(1, 60)]
    verifier_days = [day for day in days if "verifier" in recipients(plan_on(published_round, day))]
    assert verifier_days[:3] == [date(2025, 6, 18), date(2025, 6, 21), date(2025, 6, 24)]
    assert verifier_days[-1] == date(2025, 7, 30)  # the round closes on 31 July


def test_an_unpublished_round_reminds_nobody(world, published_round, people):
    published_round.published_at = None
    published_round.save()
    assert reminders.reminders_plan(today=date(2025, 6, 8)) == []


def test_running_the_plan_twice_writes_and_sends_nothing_more(world, published_round, people,
                                                              django_capture_on_commit_callbacks):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    with django_capture_on_commit_callbacks(execute=True):
        [first] = reminders.reminders_plan(today=date(2025, 6, 8))
    rows = Notification.objects.count()
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        [second] = reminders.reminders_plan(today=date(2025, 6, 8))

    assert first.written.created == rows == 2 * len(first.messages)  # portal and e-mail for each (all have one)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        f"{name}@example.test" for name in ("verifier", "certifier", "district", "province", "department"))
    assert second.written.created == 0 and second.written.existing == rows
    assert Notification.objects.count() == rows and len(mail.outbox) == sent == 5
    assert not Notification.objects.filter(channel=Channel.EMAIL).exclude(status=DeliveryStatus.SENT).exists()


def test_the_task_takes_a_date_and_is_safe_to_run_twice(world, published_round, people,
                                                        django_capture_on_commit_callbacks):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_plan_task.delay("2025-06-08").get()
        second = reminders_plan_task.delay("2025-06-08").get()
    assert first == {"planned": 5, "created": 10}
    assert second == {"planned": 5, "created": 0}
    assert len(mail.outbox) == 5


@pytest.mark.django_db(transaction=True)
def test_two_plans_at_once_send_nothing_twice(world, published_round, people):
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need a database server (SQLite serialises every write)")
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    start, errors = threading.Barrier(2), []

    def beat() -> None:
        try:
            start.wait(timeout=10)
            reminders.reminders_plan(today=date(2025, 6, 8))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Notification.objects.count() == 10
    emails = Notification.objects.filter(channel=Channel.EMAIL)
    assert set(emails.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(emails.values_list("recipient__email",
                                                                                           flat=True))

"""send_reminders runs the daily plan by hand: a dry run prints who would hear what, per level; twice sends once."""

from io import StringIO

from django.core import mail
from django.core.management import call_command

from notifications.models import Notification
from tests.deadlines.conftest import set_statuses
from tests.deadlines.test_reminders import MIXED


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_each_level_and_writes_nothing(world, published_round, people):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    out = run("--date", "2025-06-08", "--dry-run")

    levels = [line for line in out.splitlines() if line.startswith("--- ")]
    assert levels == ["--- กรมส่งเสริมการปกครองท้องถิ่น: 1", "--- ท้องถิ่นจังหวัด: 1", "--- ท้องถิ่นอำเภอ: 1",
                      "--- ผู้บันทึกข้อมูล / ผู้ตรวจสอบข้อมูล / ผู้รับรองข้อมูล: 2"]
    assert "* verifier <verifier, verifier@example.test> · t-7 · portal+email" in out
    assert "ด้านสาธารณสุข (รอตรวจสอบ)" in out
    assert not Notification.objects.exists() and mail.outbox == []


def test_sending_twice_sends_once(world, published_round, people, django_capture_on_commit_callbacks):
    set_statuses(world.lao_a1, published_round.fiscal_year, MIXED)
    with django_capture_on_commit_callbacks(execute=True):
        first = run("--date", "2025-06-08")
    with django_capture_on_commit_callbacks(execute=True):
        second = run("--date", "2025-06-08")
    assert "written: 10 new rows" in first and "written: 0 new rows" in second
    assert len(mail.outbox) == 5


def test_a_day_without_an_open_round(world, published_round):
    assert "nothing to send" in run("--date", "2025-05-01", "--dry-run")


def test_the_demo_round_is_set_around_a_day_and_published_once(world, recorder, django_capture_on_commit_callbacks):
    from accounts.policy import Role
    from deadlines.models import ReportingRound
    from sectors.catalogue import fiscal_year_open
    from tests.conftest import make_user

    fiscal_year_open(be_year=2568)
    make_user("dla.admin", Role.DEPARTMENT_ADMIN, None)
    for _ in range(2):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo_round", "--date", "2025-06-08", stdout=out)
    round_ = ReportingRound.objects.get()
    assert (str(round_.record_by), str(round_.certify_by), round_.published_at is not None) == \
        ("2025-06-11", "2025-06-15", True)
    assert "already there: 4" in out.getvalue()  # the second run announces nothing again
    assert len(mail.outbox) == 2  # dla.admin and the recorder, once each


def test_demo_people_fill_every_role_nobody_holds(world, recorder):
    from deadlines.demo import demo_people_load
    from organizations.models import LAO

    created = demo_people_load(laos=LAO.objects.all())
    # 5 LAOs × 3 roles, less the recorder of lao_a1; 3 districts; 2 provinces
    assert created == 5 * 3 - 1 + 3 + 2
    assert demo_people_load(laos=LAO.objects.all()) == 0

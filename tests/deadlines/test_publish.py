"""Publishing a round notifies every level at once, each with its own deadline, in the portal and by e-mail."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from accounts.policy import Role
from deadlines import services
from deadlines.models import ReportingRound
from notifications.models import Channel, DeliveryStatus, Notification
from sectors.catalogue import fiscal_year_open
from tests.conftest import make_user

NOON = datetime(2025, 5, 24, 12, 0, tzinfo=ZoneInfo("Asia/Bangkok"))


@pytest.fixture
def new_round(world, department_admin):
    return services.round_set(actor=department_admin, fiscal_year=fiscal_year_open(be_year=2568),
                              opens_on=date(2025, 5, 24), record_by=date(2025, 6, 10), certify_by=date(2025, 6, 15))


def announcement_to(user, channel: str = Channel.PORTAL) -> Notification:
    return Notification.objects.get(recipient=user, kind="round_announced", channel=channel)


def test_publishing_reaches_every_level_at_once_each_with_its_own_deadline(
        world, new_round, people, lao_users_b1, django_capture_on_commit_callbacks):
    services.level_deadline_set(actor=people["province"], round_=new_round, unit=world.province_a,
                                record_by=date(2025, 6, 5), certify_by=date(2025, 6, 10))

    with django_capture_on_commit_callbacks(execute=True):
        written = services.round_publish(actor=people["department"], round_=new_round, now=NOON)

    new_round.refresh_from_db()
    assert (new_round.published_at, new_round.published_by) == (NOON, people["department"])
    heard = {n.recipient.username for n in Notification.objects.filter(kind="round_announced", channel="portal")}
    assert heard == {"department", "province", "district", "recorder", "verifier", "certifier",
                     "b1.recorder", "b1.verifier", "b1.certifier"}
    assert written.created == 2 * len(heard)  # in the portal and by e-mail
    assert len(mail.outbox) == len(heard)
    assert "10 มิถุนายน 2568" in announcement_to(people["recorder"]).body  # province A's internal deadline
    assert "15 มิถุนายน 2568" in announcement_to(lao_users_b1[0]).body  # province B keeps the national one
    assert announcement_to(people["district"]).link == "/deadlines/level/?district=3008"
    assert announcement_to(people["recorder"]).link == f"/data/lao/{world.lao_a1.pk}/2568/"


def test_publishing_again_reaches_only_those_who_have_not_heard(world, new_round, people,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(actor=people["department"], round_=new_round, now=NOON)
    first = len(mail.outbox)
    newcomer = make_user("newcomer", Role.RECORDER, world.lao_a2)

    with django_capture_on_commit_callbacks(execute=True):
        written = services.round_publish(actor=people["department"], round_=new_round)

    assert written.created == 2
    assert [message.to for message in mail.outbox[first:]] == [[newcomer.email]]
    assert ReportingRound.objects.get(pk=new_round.pk).published_at == NOON  # the first publication stands
    assert not Notification.objects.exclude(status=DeliveryStatus.SENT).exists()


def test_only_the_department_publishes(world, new_round, people):
    for role in ("province", "district", "recorder"):
        with pytest.raises(PermissionDenied):
            services.round_publish(actor=people[role], round_=new_round)
    assert not Notification.objects.exists()


def test_a_person_with_two_roles_hears_one_announcement_listing_both(world, new_round, people,
                                                                     django_capture_on_commit_callbacks):
    from accounts import services as account_services

    account_services.role_grant(actor=None, user=people["recorder"], role=Role.VERIFIER, unit=world.lao_a2)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(actor=people["department"], round_=new_round, now=NOON)
    units = announcement_to(people["recorder"], Channel.EMAIL).data["units"]
    assert [(unit["unit"], unit["role"]) for unit in units] == [(world.lao_a1.name_th, "ผู้บันทึกข้อมูล"),
                                                                (world.lao_a2.name_th, "ผู้ตรวจสอบข้อมูล")]


class WorkerKilled(BaseException):
    """The worker dies in the middle: nothing in the job sees it, as with SIGKILL."""


def test_publishing_runs_as_a_job_and_a_run_cut_short_then_run_again_announces_everyone_once(
        world, new_round, people, lao_users_b1, monkeypatch, settings, django_capture_on_commit_callbacks):
    from deadlines import reminders
    from deadlines.tasks import round_publish_task
    from jobs.models import Job, JobStatus

    settings.JOB_CHUNK_SIZE = 2
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = services.round_publish_start(actor=people["department"], round_=new_round, now=NOON)
    assert len(queued) == 1 and not Notification.objects.exists()  # the request only wrote the job
    write, chunks = reminders.messages_write, []

    def dies_after_two_chunks(planned):
        if len(chunks) == 2:
            raise WorkerKilled
        chunks.append(len(planned))
        return write(planned)

    monkeypatch.setattr(reminders, "messages_write", dies_after_two_chunks)
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        round_publish_task(job.pk)

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.RUNNING, 4, 9)
    assert Notification.objects.filter(kind="round_announced").count() == 8  # two chunks of two people, twice
    monkeypatch.setattr(reminders, "messages_write", write)

    with django_capture_on_commit_callbacks(execute=True):
        assert round_publish_task(job.pk) == JobStatus.SUCCEEDED

    job.refresh_from_db()
    assert (job.status, job.attempts, job.done, job.total) == (JobStatus.SUCCEEDED, 2, 9, 9)
    assert job.result == {"created": 10, "existing": 8}
    rows = list(Notification.objects.filter(kind="round_announced").values_list("recipient_id", "channel"))
    assert len(rows) == len(set(rows)) == 18
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        Notification.objects.filter(kind="round_announced", channel=Channel.EMAIL).values_list("recipient__email",
                                                                                                  flat=True))
    assert len(mail.outbox) == 9
    assert ReportingRound.objects.get(pk=new_round.pk).published_at == NOON
    assert round_publish_task(job.pk) == "finished already"
    assert Job.objects.get(pk=job.pk).attempts == 2


def test_only_the_department_starts_a_publication(world, new_round, people):
    with pytest.raises(PermissionDenied):
        services.round_publish_start(actor=people["province"], round_=new_round)

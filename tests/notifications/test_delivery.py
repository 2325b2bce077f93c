"""Delivery loses nothing and repeats nothing: a row is claimed, sent and marked sent once; SMTP errors leave it
pending for a retry; the sweep queues again what was left pending."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections, transaction
from django.utils import timezone

from notifications import services
from notifications.email import email_message
from notifications.models import Channel, DeliveryStatus, Notification
from notifications.services import Draft, Message
from notifications.tasks import DELIVERY_RETRIES, notification_deliver_task
from tests.conftest import make_user

BACKEND = "tests.notifications.test_delivery.FlakySMTP"


class FlakySMTP(BaseEmailBackend):
    """A mail server that can be down, or refuse a recipient; what it accepts goes to mail.outbox."""

    down = False
    refused: set[str] = set()

    def open(self) -> bool:
        if FlakySMTP.down:
            raise ConnectionRefusedError(111, "Connection refused")
        return True

    def close(self) -> None:
        pass

    def send_messages(self, messages) -> int:
        for message in messages:
            if FlakySMTP.down:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            if set(message.to) & FlakySMTP.refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 No such user")})
            mail.outbox.append(message)
        return len(messages)


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = BACKEND
    FlakySMTP.down, FlakySMTP.refused = False, set()
    yield FlakySMTP
    FlakySMTP.down, FlakySMTP.refused = False, set()


@pytest.fixture
def users(db):
    return [make_user(f"user{n}", full_name=f"ผู้ใช้ {n}") for n in range(3)]


def write_emails(users, *, key: str = "test:1", kind: str = "notice") -> list[int]:
    message = Message(kind=kind, title="ทดสอบการแจ้งเตือน", body="มีงานรอคุณ 2 ด้าน", link="/data/lao/1/2568/")
    written = services.notifications_write(drafts=[Draft(recipient_id=user.pk, channel=Channel.EMAIL,
                                                         message=message, dedupe_key=key) for user in users])
    return written.email_ids


def test_an_email_is_thai_in_plain_text_and_html_with_a_link_to_the_work(users, settings):
    settings.SITE_URL = "https://info.example.go.th"
    data = {"fiscal_year": "ปีงบประมาณ พ.ศ. 2568", "stage_label": "อีก 7 วันครบกำหนด", "work": [{
        "lao": "เทศบาลตำบลด่านขุนทด", "role": "ผู้ตรวจสอบข้อมูล", "action": "ตรวจสอบข้อมูล", "due": "15 มิถุนายน 2568",
        "days": "เหลือ 7 วัน", "overdue": False, "link": "/workflow/queue/",
        "sectors": [{"name": "ด้านสาธารณสุข", "status": "รอตรวจสอบ"}]}]}
    notification = Notification.objects.create(
        recipient=users[0], kind="reminder_lao", channel=Channel.EMAIL, title="อีก 7 วันครบกำหนด: รอคุณ 1 ด้าน",
        body="เทศบาลตำบลด่านขุนทด · ผู้ตรวจสอบข้อมูล", link="/workflow/queue/", data=data, dedupe_key="k")

    message = email_message(notification)

    assert message.subject == "[INFO] อีก 7 วันครบกำหนด: รอคุณ 1 ด้าน"
    assert message.to == [users[0].email]
    assert "เรียน ผู้ใช้ 0" in message.body and "https://info.example.go.th/workflow/queue/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "ด้านสาธารณสุข" in html and 'href="https://info.example.go.th/workflow/queue/"' in html
    assert message.extra_headers["Message-ID"] == f"<notification.{notification.pk}@info.example.go.th>"
    assert b"charset=\"utf-8\"" in message.message().as_bytes()


def test_portal_messages_are_delivered_by_being_written(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.notifications_create(recipients=users, dedupe_key="portal:1", message=Message(
            kind="notice", title="ข้อความ", body="", link=""))
    assert {row.status for row in rows} == {DeliveryStatus.SENT}
    assert mail.outbox == []


def test_an_email_is_sent_once_however_often_it_is_delivered(users, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ids = write_emails(users)
    assert len(mail.outbox) == 3

    again = services.notifications_deliver(ids=ids)
    with django_capture_on_commit_callbacks(execute=True):
        write_emails(users)  # the same keys written again

    assert (again.sent, again.skipped) == ([], ids)
    assert len(mail.outbox) == 3
    rows = Notification.objects.filter(pk__in=ids)
    assert {(row.status, row.attempts) for row in rows} == {(DeliveryStatus.SENT, 1)}
    assert all(row.sent_at for row in rows)


def test_smtp_down_then_up_delivers_everything_once(users, smtp, django_capture_on_commit_callbacks):
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        ids = write_emails(users)
    delivery = services.notifications_deliver(ids=ids)

    assert delivery.retry == ids and "Connection refused" in delivery.error
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert Notification.objects.get(pk=ids[0]).attempts == 2  # once when written, once just now
    assert mail.outbox == []

    smtp.down = False
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.notifications_sweep(stale_after=timedelta(0))
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_sweep(stale_after=timedelta(0))

    assert queued == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in users)
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_refused_recipient_fails_for_good_and_the_others_still_go(users, smtp, django_capture_on_commit_callbacks):
    smtp.refused = {users[1].email}
    with django_capture_on_commit_callbacks(execute=True):
        ids = write_emails(users)
    statuses = dict(Notification.objects.values_list("recipient__username", "status"))
    assert statuses == {"user0": DeliveryStatus.SENT, "user1": DeliveryStatus.FAILED, "user2": DeliveryStatus.SENT}
    assert "550" in Notification.objects.get(recipient=users[1]).last_error
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_sweep(stale_after=timedelta(0)) == 0
    assert len(ids) == 3 and len(mail.outbox) == 2


def test_the_sweep_queues_again_only_rows_left_pending(users, smtp, django_capture_on_commit_callbacks):
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        stale, recent, worn = write_emails(users)
    now = timezone.now()
    Notification.objects.filter(pk=stale).update(queued_at=now - timedelta(minutes=30))
    Notification.objects.filter(pk=recent).update(queued_at=now - timedelta(minutes=2))
    Notification.objects.filter(pk=worn).update(queued_at=None, attempts=services.MAX_ATTEMPTS)
    smtp.down = False

    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_sweep(now=now) == 1

    assert dict(Notification.objects.values_list("pk", "status")) == {
        stale: DeliveryStatus.SENT, recent: DeliveryStatus.PENDING, worn: DeliveryStatus.FAILED}


def retry_waits(task, ids: list[int], monkeypatch) -> list[int | None]:
    """The countdown each try of the task asks for, from its first retry to its last (None: it gave up)."""
    waits = []

    def retry(*, args, countdown):
        assert args == [ids]
        return RetryAsked(countdown)

    monkeypatch.setattr(task, "retry", retry)
    for retries in range(task.max_retries + 1):
        task.push_request(retries=retries, is_eager=False)
        try:
            task.run(ids)
            waits.append(None)
        except RetryAsked as asked:
            waits.append(asked.countdown)
        finally:
            task.pop_request()
    return waits


class RetryAsked(Exception):
    def __init__(self, countdown: int):
        super().__init__(countdown)
        self.countdown = countdown


def test_retries_use_celerys_backoff_growing_capped_and_spread(users, smtp, settings, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    task = notification_deliver_task
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=False):
        ids = write_emails(users)
    assert (task.max_retries, task.retry_backoff, task.retry_backoff_max, task.retry_jitter) == (
        DELIVERY_RETRIES, 5, 600, True)
    # A task waiting to be retried must not outlive the broker's visibility timeout.
    assert task.retry_backoff_max < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 2

    monkeypatch.setattr(task, "retry_jitter", False)
    ceilings = retry_waits(task, ids, monkeypatch)
    assert ceilings == [5, 10, 20, 40, 80, 160, 320, 600, 600, 600, None]  # doubling, capped, then the sweep's
    due = Notification.objects.get(pk=ids[0]).queued_at
    assert due > timezone.now() + timedelta(seconds=500)  # the sweep leaves the rows alone until the last wait

    monkeypatch.setattr(task, "retry_jitter", True)
    Notification.objects.filter(pk__in=ids).update(attempts=1)  # as many tries left as the first time
    spread = retry_waits(task, ids, monkeypatch)
    assert spread[-1] is None
    assert all(0 <= wait <= ceiling for wait, ceiling in zip(spread[:-1], ceilings[:-1], strict=True))


@pytest.mark.django_db(transaction=True)
def test_a_row_another_worker_holds_is_skipped_not_sent_twice(smtp):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need a database server (SQLite has no SELECT … FOR UPDATE)")
    user = make_user("held")
    pk = Notification.objects.create(recipient=user, kind="notice", channel=Channel.EMAIL, title="ทดสอบ",
                                     dedupe_key="held:1").pk  # written, not yet handed to a worker
    holding, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        with transaction.atomic():
            Notification.objects.select_for_update().get(pk=pk)
            holding.set()
            release.wait(timeout=30)
        connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert holding.wait(timeout=30)
    skipped = services.notifications_deliver(ids=[pk])
    release.set()
    thread.join(timeout=30)
    sent = services.notifications_deliver(ids=[pk])

    assert (skipped.skipped, sent.sent) == ([pk], [pk])
    assert len(mail.outbox) == 1

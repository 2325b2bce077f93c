"""Writes on notifications: queue one per recipient under a unique key; deliver e-mails once; mark them read.

The database is the truth: a row is written under its unique key before anything is sent, e-mails are queued
only once the transaction commits, and a worker claims each row (skipping rows another worker holds), sends it
and marks it sent in one transaction, so a message is neither lost nor sent twice.
"""

import contextlib
import smtplib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import JSONField, Q, Value
from django.utils import timezone

from accounts.models import User
from notifications.models import Channel, DeliveryStatus, Notification

BATCH_SIZE = 100  # e-mail rows per delivery task
KEY_CHUNK = 900  # keys per IN (...) lookup: under SQLite's limit on query parameters
MAX_ATTEMPTS = 20  # after this many failed tries a row is marked failed and left to the admin
STALE_AFTER = timedelta(minutes=10)  # a pending row not handed to the broker for this long is queued again
SWEEP_LIMIT = 50_000
SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str
    link: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Draft:
    """One message for one recipient on one channel, before it is written."""

    recipient_id: int
    channel: str
    message: Message
    dedupe_key: str
    stage: str = ""

    @property
    def key(self) -> str:
        return f"{self.dedupe_key}:{self.channel}:{self.recipient_id}"[:255]


@dataclass(frozen=True)
class Written:
    created: int
    existing: int
    email_ids: list[int]


def chunked(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def notifications_write(*, drafts: Iterable[Draft]) -> Written:
    """Write every draft whose key is not there yet, in bulk; queue the new e-mails once the transaction commits.
    Writing the same drafts again (or at the same time) writes and sends nothing more."""
    by_key = {draft.key: draft for draft in drafts}
    keys = sorted(by_key)  # one order for every writer, so concurrent writers wait rather than deadlock
    existing = set()
    for chunk in chunked(keys, KEY_CHUNK):
        existing.update(Notification.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True))
    now = timezone.now()
    new_keys = [key for key in keys if key not in existing]
    Notification.objects.bulk_create([_row(by_key[key], now) for key in new_keys], batch_size=1000,
                                     ignore_conflicts=True)  # a key written meanwhile by another run stays as it was
    new_emails = [key for key in new_keys if by_key[key].channel == Channel.EMAIL]
    email_ids: list[int] = []
    for chunk in chunked(new_emails, KEY_CHUNK):
        email_ids.extend(Notification.objects.filter(dedupe_key__in=chunk, status=DeliveryStatus.PENDING)
                         .values_list("pk", flat=True))
    deliveries_queue(ids=sorted(email_ids))
    return Written(created=len(new_keys), existing=len(existing), email_ids=sorted(email_ids))


def notification_rows(*, drafts: Iterable[Draft], now: datetime) -> list[Notification]:
    """The rows notifications_write inserts for these drafts, one per key, not yet saved: for a writer whose keys
    cannot exist yet (they name rows of its own transaction) and that inserts them itself."""
    return [_row(draft, now) for draft in {draft.key: draft for draft in drafts}.values()]


def _row(draft: Draft, now: datetime) -> Notification:
    message, portal = draft.message, draft.channel == Channel.PORTAL
    return Notification(
        recipient_id=draft.recipient_id, kind=message.kind, channel=draft.channel, title=message.title[:300],
        body=message.body, link=message.link, stage=draft.stage, dedupe_key=draft.key,
        # As a literal expression the JSON keeps PostgreSQL's bulk insert on plain VALUES: its UNNEST form would
        # escape every quote of every document in Python, four times slower for a national cascade.
        data=Value(message.data, output_field=JSONField()),
        status=DeliveryStatus.SENT if portal else DeliveryStatus.PENDING,
        sent_at=now if portal else None, queued_at=None if portal else now,
    )


def notifications_create(*, recipients: list[User], message: Message, dedupe_key: str,
                         channel: str = Channel.PORTAL, stage: str = "") -> list[Notification]:
    """One row per recipient under `<dedupe_key>:<channel>:<user id>`; a key already written is skipped, so
    queueing the same message twice delivers it once. Portal messages are delivered by being written; e-mails are
    queued for delivery once the transaction commits. Returns the rows under those keys, new or already there."""
    drafts = [Draft(recipient_id=user.pk, channel=channel, message=message, dedupe_key=dedupe_key, stage=stage)
              for user in {u.pk: u for u in recipients}.values()]
    notifications_write(drafts=drafts)
    return list(Notification.objects.filter(dedupe_key__in=[draft.key for draft in drafts]))


def deliveries_queue(*, ids: Sequence[int]) -> None:
    """Hand these e-mail rows to the workers, in batches, once the surrounding transaction commits. If the broker
    is unreachable the rows stay pending and the sweep queues them again."""
    if not ids:
        return
    from notifications.tasks import notification_deliver_task  # tasks call services: import here, not above

    batches = [list(chunk) for chunk in chunked(list(ids), BATCH_SIZE)]

    def send() -> None:
        for batch in batches:
            notification_deliver_task.delay(batch)

    transaction.on_commit(send, robust=True)


# Delivery ------------------------------------------------------------------------------------------------------


@dataclass
class Delivery:
    """What one delivery pass did with its ids; `retry` are the ids to try again after a transient error."""

    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    error: str = ""

    def counts(self) -> dict[str, int]:
        return {"sent": len(self.sent), "skipped": len(self.skipped), "failed": len(self.failed),
                "retry": len(self.retry)}


class _Mailer:
    """One mail connection for a whole batch, opened on the first message that needs it."""

    def __init__(self):
        self.connection = None

    def send(self, message) -> None:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False, timeout=SMTP_TIMEOUT_SECONDS)
            self.connection.open()
        message.connection = self.connection
        self.connection.send_messages([message])

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # already gone: nothing waits on it
                self.connection.close()
            self.connection = None


def _is_permanent(error: Exception) -> bool:
    """The server refused this message itself (5xx on its recipients or content): trying again will not help.
    Refusals of the sender or the login are settings of the server, not of the message: those are retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def notifications_deliver(*, ids: Sequence[int]) -> Delivery:
    """Send each pending e-mail row among `ids` exactly once: claim the row with a lock that other workers skip,
    send it, mark it sent, in one transaction per row. A transient error (server down, timeout) stops the batch
    and returns the rest for a retry; a message the server refuses for good is marked failed."""
    from notifications.email import email_message  # rendering needs the template engine only when sending

    outcome, mailer = Delivery(), _Mailer()
    try:
        for position, pk in enumerate(ids):
            with transaction.atomic():
                row = (Notification.objects.select_for_update(skip_locked=True, of=("self",))
                       .select_related("recipient")
                       .filter(pk=pk, channel=Channel.EMAIL, status=DeliveryStatus.PENDING).first())
                if row is None:  # sent already, or another worker holds it right now
                    outcome.skipped.append(pk)
                    continue
                row.attempts += 1
                error = None
                if not row.recipient.email or not row.recipient.is_active:
                    row.status, row.last_error = DeliveryStatus.FAILED, "no active recipient with an e-mail address"
                else:
                    try:
                        mailer.send(email_message(row))
                    except (smtplib.SMTPException, OSError) as caught:
                        error = caught
                        row.last_error = f"{type(caught).__name__}: {caught}"[:2000]
                        permanent = _is_permanent(caught) or row.attempts >= MAX_ATTEMPTS
                        row.status = DeliveryStatus.FAILED if permanent else DeliveryStatus.PENDING
                    else:
                        row.status, row.sent_at, row.last_error = DeliveryStatus.SENT, timezone.now(), ""
                row.save(update_fields=["status", "attempts", "last_error", "sent_at"])
            if row.status == DeliveryStatus.SENT:
                outcome.sent.append(pk)
            elif row.status == DeliveryStatus.FAILED:
                outcome.failed.append(pk)
                if error is not None and not _is_permanent(error):
                    mailer.close()
            else:  # a transient error: the connection is suspect, so stop and try the rest later
                outcome.retry = list(ids[position:])
                outcome.error = row.last_error
                break
    finally:
        mailer.close()
    return outcome


def notifications_mark_queued(*, ids: Sequence[int], at: datetime) -> None:
    """Note when these rows are next expected at a worker, so the sweep leaves them alone until then."""
    for chunk in chunked(list(ids), KEY_CHUNK):
        Notification.objects.filter(pk__in=chunk, status=DeliveryStatus.PENDING).update(queued_at=at)


@transaction.atomic
def notifications_sweep(*, now: datetime | None = None, stale_after: timedelta = STALE_AFTER) -> int:
    """The sweep: queue again every e-mail row still pending that no worker has been handed for `stale_after`
    (a worker died with it, or the broker was down when it was written). Claiming makes a second copy harmless.
    Rows that failed too often are marked failed. Returns how many rows were queued."""
    now = now or timezone.now()
    pending = Notification.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.PENDING)
    pending.filter(attempts__gte=MAX_ATTEMPTS).update(status=DeliveryStatus.FAILED)
    stale = pending.filter(attempts__lt=MAX_ATTEMPTS).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lte=now - stale_after))
    ids = list(stale.order_by("pk").values_list("pk", flat=True)[:SWEEP_LIMIT])
    notifications_mark_queued(ids=ids, at=now)
    deliveries_queue(ids=ids)
    return len(ids)


# Reading ---------------------------------------------------------------------------------------------------------


def notification_mark_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the user's own portal messages read; False if there is no such unread message."""
    return bool(Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True)
                .update(read_at=timezone.now()))


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, channel=Channel.PORTAL, read_at__isnull=True) \
        .update(read_at=timezone.now())

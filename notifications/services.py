"""Writes on notifications: queue one per recipient under a unique key; mark them read."""

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from notifications.models import Channel, DeliveryStatus, Notification


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str
    link: str


def notifications_create(*, recipients: list[User], message: Message, dedupe_key: str,
                         channel: str = Channel.PORTAL, stage: str = "") -> list[Notification]:
    """One row per recipient under `<dedupe_key>:<channel>:<user id>`; a key already written is skipped, so
    queueing the same message twice delivers it once. Portal messages are delivered by being written.
    Returns the rows under those keys, new or already there."""
    now = timezone.now()
    rows = [
        Notification(
            recipient=user, kind=message.kind, channel=channel, title=message.title[:300], body=message.body,
            link=message.link, stage=stage, dedupe_key=f"{dedupe_key}:{channel}:{user.pk}"[:255],
            status=DeliveryStatus.SENT if channel == Channel.PORTAL else DeliveryStatus.PENDING,
            sent_at=now if channel == Channel.PORTAL else None,
        )
        for user in {u.pk: u for u in recipients}.values()
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)  # a key already written stays as it was
    return list(Notification.objects.filter(dedupe_key__in=[row.dedupe_key for row in rows]))


def notification_mark_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the user's own portal messages read; False if there is no such unread message."""
    return bool(Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True)
                .update(read_at=timezone.now()))


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, channel=Channel.PORTAL, read_at__isnull=True) \
        .update(read_at=timezone.now())

from django.db.models import QuerySet

from accounts.models import User
from notifications.models import Channel, Notification


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, channel=Channel.PORTAL)


def unread_count(user: User) -> int:
    return inbox(user).filter(read_at__isnull=True).count()

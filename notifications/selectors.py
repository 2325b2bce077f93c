from django.db import router
from django.db.models import Count, QuerySet

from accounts.models import User
from info_portal.prepared import Prepared
from notifications.models import Channel, Notification


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, channel=Channel.PORTAL)


def _unread(user_id: int) -> QuerySet:
    return (inbox(User(pk=user_id)).filter(read_at__isnull=True).order_by()
            .values("recipient_id").annotate(unread=Count("pk")).values_list("unread"))


# The menu's badge asks it on every page and every refresh: the query is compiled once, not on each request.
_UNREAD = Prepared(_unread, params=lambda user_id: (Channel.PORTAL.value, user_id))


def unread_count(user: User) -> int:
    return _UNREAD.value(user.pk, using=router.db_for_read(Notification), default=0)

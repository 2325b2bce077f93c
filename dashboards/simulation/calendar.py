"""The dates of a simulated round's messages: each on the simulated day it would have been written.

The services stamp a message with the moment it is written. A simulated round is written all at once, so once it
is, its messages are given the moments of what they report: a transition's message the time of its event, an
announcement the moment the round was published, a day's reminders that day at the time of the daily job.
"""

from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from certification.models import ReportEvent
from info_portal.bulk import rows_update
from notifications.models import Channel, Notification

BANGKOK = ZoneInfo("Asia/Bangkok")
REMINDERS_AT = time(8, 30)  # the daily beat job (Asia/Bangkok)
EVENT_PREFIX = "report-event:"
CHUNK = 500


def at_local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=BANGKOK)


def _dated(moments: dict[int, datetime]) -> int:
    """Give each notification (by id) its moment: written then and, in the portal, delivered then."""
    rows = []
    ids = sorted(moments)
    for start in range(0, len(ids), CHUNK):
        for pk, channel, sent_at in Notification.objects.filter(pk__in=ids[start:start + CHUNK]) \
                .values_list("pk", "channel", "sent_at"):
            rows.append(Notification(pk=pk, created_at=moments[pk],
                                     sent_at=moments[pk] if channel == Channel.PORTAL else sent_at))
    rows_update(Notification, rows, ["created_at", "sent_at"])
    return len(rows)


def transitions_dated(*, written_since: datetime) -> int:
    """The messages of the transitions written since a moment, each dated at its event."""
    rows = list(Notification.objects.filter(created_at__gte=written_since, dedupe_key__startswith=EVENT_PREFIX)
                .values_list("pk", "dedupe_key"))
    event_of = {pk: int(key.removeprefix(EVENT_PREFIX).split(":", 1)[0]) for pk, key in rows}
    at = dict(ReportEvent.objects.filter(pk__in=set(event_of.values())).values_list("pk", "at"))
    return _dated({pk: at[event] for pk, event in event_of.items() if event in at})


def messages_dated(keys: Iterable[str], moment: datetime, *, written_since: datetime) -> int:
    """The messages under these keys written since a moment, dated at `moment`."""
    keys = list(keys)
    ids: list[int] = []
    for start in range(0, len(keys), CHUNK):
        ids += Notification.objects.filter(dedupe_key__in=keys[start:start + CHUNK],
                                           created_at__gte=written_since).values_list("pk", flat=True)
    return _dated(dict.fromkeys(ids, moment))


def prefix_dated(prefix: str, moment: datetime, *, written_since: datetime) -> int:
    """The messages whose keys start with `prefix` written since a moment, dated at `moment`."""
    ids = Notification.objects.filter(dedupe_key__startswith=prefix, created_at__gte=written_since) \
        .values_list("pk", flat=True)
    return _dated(dict.fromkeys(ids, moment))

"""rows_update writes each row its own values, however many rows: on SQLite in chunks a compound SELECT allows."""

from accounts.models import User
from info_portal.bulk import rows_update
from notifications.models import Notification


def test_many_rows_are_updated_each_with_its_own_values(db):
    user = User.objects.create(username="reader")
    Notification.objects.bulk_create([Notification(recipient=user, kind="k", title=f"before {n}",
                                                   dedupe_key=f"key:{n}") for n in range(1234)])
    rows = list(Notification.objects.order_by("pk"))
    for row in rows:
        row.title = f"after {row.dedupe_key}"
    rows_update(Notification, rows, ["title"])
    titles = dict(Notification.objects.values_list("dedupe_key", "title"))
    assert len(titles) == 1234 and all(title == f"after {key}" for key, title in titles.items())

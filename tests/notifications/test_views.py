"""The inbox: only one's own portal messages, opening marks read and follows a local link, the unread count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.context_processors import unread
from notifications.models import Channel, Notification
from notifications.views import PAGE_SIZE, local_path

INBOX = reverse("notifications:inbox")


def send(user, title: str, *, link: str = "/data/", channel: str = Channel.PORTAL, key: str = "") -> Notification:
    message = services.Message(kind="test", title=title, body="", link=link)
    return services.notifications_create(recipients=[user], message=message, dedupe_key=key or f"test:{title}",
                                         channel=channel)[0]


def opened(notification: Notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


def test_the_inbox_shows_only_ones_own_portal_messages_newest_first(client, recorder, verifier):
    older = send(recorder, "ข้อมูลด้านการบริหารถูกส่งกลับแก้ไข")
    newer = send(recorder, "ข้อมูลด้านการบริหารได้รับการรับรองแล้ว")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))
    send(recorder, "อีเมลแจ้งกำหนดส่ง", channel=Channel.EMAIL)
    send(verifier, "รายงานรอตรวจสอบ")
    client.force_login(recorder)

    page = client.get(INBOX).content.decode()

    assert page.index("ได้รับการรับรองแล้ว") < page.index("ถูกส่งกลับแก้ไข")
    assert "อีเมลแจ้งกำหนดส่ง" not in page and "รายงานรอตรวจสอบ" not in page
    assert opened(older) in page and opened(newer) in page
    assert page.count('class="unread"') == 2
    assert "ยังไม่อ่าน 2 รายการ" in page


def test_read_messages_are_no_longer_bold(client, recorder):
    message = send(recorder, "ข้อความที่อ่านแล้ว")
    services.notification_mark_read(user=recorder, notification_id=message.pk)
    client.force_login(recorder)
    page = client.get(INBOX).content.decode()
    assert 'class="read"' in page and 'class="unread"' not in page
    assert reverse("notifications:read_all") not in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_opening_a_message_marks_it_read_and_follows_its_link(client, recorder, method):
    message = send(recorder, "รายงานถูกส่งกลับแก้ไข", link="/data/lao/1/2568/governance/")
    client.force_login(recorder)

    response = getattr(client, method)(opened(message))

    assert response.status_code == 302 and response.url == "/data/lao/1/2568/governance/"
    message.refresh_from_db()
    assert message.read_at is not None


@pytest.mark.parametrize("link", ["", "https://evil.example/", "//evil.example/x", "/\\evil.example", "data/"])
def test_a_message_never_sends_anyone_off_the_site(client, recorder, link):
    message = send(recorder, "ข้อความ", link=link)
    client.force_login(recorder)
    assert client.get(opened(message)).url == INBOX


def test_local_paths_are_kept():
    assert local_path("/workflow/reports/3/history/?page=2") == "/workflow/reports/3/history/?page=2"


def test_someone_elses_message_is_404_and_stays_unread(client, recorder, verifier):
    message = send(verifier, "รายงานรอตรวจสอบ")
    client.force_login(recorder)
    assert client.get(opened(message)).status_code == 404
    assert client.post(opened(message)).status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_an_email_message_is_not_opened_from_the_inbox(client, recorder):
    message = send(recorder, "อีเมล", channel=Channel.EMAIL)
    client.force_login(recorder)
    assert client.get(opened(message)).status_code == 404


def test_mark_all_read_touches_only_ones_own(client, recorder, verifier):
    send(recorder, "หนึ่ง")
    send(recorder, "สอง")
    others = send(verifier, "ของคนอื่น")
    client.force_login(recorder)
    assert client.get(reverse("notifications:read_all")).status_code == 405

    response = client.post(reverse("notifications:read_all"), follow=True)

    assert response.redirect_chain[-1] == (INBOX, 302)
    assert "ทำเครื่องหมายว่าอ่านแล้วทั้งหมด" in response.content.decode()
    assert not Notification.objects.filter(recipient=recorder, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None


def test_the_inbox_asks_for_a_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/login" in response.url


def test_the_unread_count_is_given_to_templates_of_signed_in_users(recorder, verifier):
    send(recorder, "หนึ่ง")
    read = send(recorder, "สอง")
    send(recorder, "อีเมล", channel=Channel.EMAIL)
    send(verifier, "ของคนอื่น")
    services.notification_mark_read(user=recorder, notification_id=read.pk)
    request = RequestFactory().get("/")
    request.user = recorder
    assert unread(request)["unread_notifications"] == 1
    assert str(unread(request)["unread_notifications"]) == "1"


def test_no_unread_count_without_a_signed_in_user(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread(request) == {}


def _inbox_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


def test_the_inbox_takes_the_same_queries_however_full_it_is(client, recorder):
    client.force_login(recorder)
    for n in range(3):
        send(recorder, f"ข้อความ {n}")
    few = _inbox_queries(client)
    for n in range(3, PAGE_SIZE + 5):
        send(recorder, f"ข้อความ {n}")
    assert _inbox_queries(client) == few


def test_a_full_inbox_is_paginated(client, recorder):
    for n in range(PAGE_SIZE + 3):
        send(recorder, f"ข้อความ {n}")
    client.force_login(recorder)
    assert client.get(INBOX).content.decode().count('class="unread"') == PAGE_SIZE
    assert client.get(INBOX + "?page=2").content.decode().count('class="unread"') == 3


BADGE = reverse("notifications:unread_badge")


def test_the_badge_shows_the_unread_count_alone(client, recorder):
    send(recorder, "รายงานถูกส่งกลับแก้ไข")
    send(recorder, "รายงานได้รับการรับรองแล้ว")
    client.force_login(recorder)

    response = client.get(BADGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="unread-badge"' in html and ">2</span>" in html
    assert "<nav" not in html


def test_the_badge_is_empty_when_all_is_read(client, recorder):
    services.notification_mark_read(user=recorder, notification_id=send(recorder, "อ่านแล้ว").pk)
    client.force_login(recorder)
    assert client.get(BADGE).content.decode().strip() == ""


def test_the_badge_needs_a_sign_in(client, world):
    response = client.get(BADGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def badge_statements(client) -> list[str]:
    client.get(BADGE)
    with CaptureQueriesContext(connection) as captured:
        client.get(BADGE)
    # Savepoints belong to the test's own transaction, not to the request.
    return [q["sql"] for q in captured.captured_queries if q["sql"].split()[0] not in ("SAVEPOINT", "RELEASE")]


def test_the_badge_is_the_minimal_signed_in_request_in_queries(client, recorder):
    """The fixed cost of being signed in, in queries: the session, the user and the count, and no write."""
    client.force_login(recorder)
    statements = badge_statements(client)
    assert len(statements) == 3, statements
    assert [sql.split()[0] for sql in statements] == ["SELECT"] * 3


def test_with_sessions_in_a_shared_cache_the_badge_asks_the_user_and_the_count_alone(client, recorder, settings):
    """Production's sessions (cached_db on Redis) come from the cache: two queries."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(recorder)
    statements = badge_statements(client)
    assert len(statements) == 2, statements
    assert '"accounts_user"' in statements[0] and '"notifications_notification"' in statements[1]


def test_the_badge_follows_the_count_and_the_language(client, recorder):
    client.force_login(recorder)
    first = send(recorder, "หนึ่ง")
    assert ">1</span>" in client.get(BADGE).content.decode()
    send(recorder, "สอง")
    assert ">2</span>" in client.get(BADGE).content.decode()
    services.notification_mark_read(user=recorder, notification_id=first.pk)
    thai = client.get(BADGE).content.decode()
    assert ">1</span>" in thai and "ยังไม่ได้อ่าน" in thai
    client.cookies["django_language"] = "en"
    english = client.get(BADGE).content.decode()
    assert ">1</span>" in english and 'aria-label="unread"' in english
    services.notifications_mark_all_read(user=recorder)
    assert client.get(BADGE).content.decode().strip() == ""

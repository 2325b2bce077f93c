"""Login protection: Thai messages, lockout with a cool-off, password policy, idle expiry, demo accounts."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import PASSWORD, make_user

LOGIN = "/accounts/login/"


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")


def test_login_page_is_thai(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "th"
    assert "เข้าสู่ระบบ" in response.content.decode()


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_good_password_logs_in(client, recorder):
    response = login(client, "recorder", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_signing_in_on_a_new_browser_speaks_the_language_kept_on_the_account(client, recorder, settings):
    recorder.language = "en"
    recorder.save(update_fields=["language"])
    response = login(client, "recorder", PASSWORD)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(reverse("home")).headers["Content-Language"] == "en"


def test_a_language_picked_on_this_browser_stays_at_sign_in(client, recorder, settings):
    recorder.language = "en"
    recorder.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    response = login(client, "recorder", PASSWORD)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert client.get(reverse("home")).headers["Content-Language"] == "th"


def test_wrong_password_gives_a_thai_error(client, recorder):
    response = login(client, "recorder", "not-the-password-at-all")
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_repeated_failures_lock_the_account_until_the_cool_off_passes(client, recorder, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "recorder", "not-the-password-at-all")
    locked = login(client, "recorder", PASSWORD)
    assert locked.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in locked.content.decode()

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert login(client, "recorder", PASSWORD).status_code == 302


@pytest.mark.parametrize(("password", "message"), [
    ("short-pw-1", "รหัสผ่านนี้สั้นเกินไป ต้องยาวอย่างน้อย 12 ตัวอักษร"),
    ("password1234", "รหัสผ่านนี้เป็นรหัสผ่านที่ใช้กันทั่วไป"),
    ("314159265358979", "รหัสผ่านนี้เป็นตัวเลขล้วน"),
])
def test_weak_passwords_are_refused_in_thai(db, password, message):
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(message in m for m in refused.value.messages)


def test_a_64_character_passphrase_is_accepted(db):
    passphrase = "ทุ่งกุลาร้องไห้ ฝนตกทั่วฟ้า ข้าวออกรวงงาม ชาวนายิ้มได้ทั้งหมู่บ้าน 2568"[:64]
    assert len(passphrase) == 64
    validate_password(passphrase)


def test_idle_sessions_expire(client, recorder, settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    client.force_login(recorder)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_demo_accounts_are_refused_when_debug_is_off(client, world, settings):
    settings.DEBUG = False
    make_user("demo.user", is_demo=True)
    response = login(client, "demo.user", PASSWORD)
    assert response.status_code == 200
    assert "บัญชีสาธิตใช้ได้เฉพาะในระบบทดลอง" in response.content.decode()


def test_demo_accounts_sign_in_when_debug_is_on(client, world, settings):
    settings.DEBUG = True
    make_user("demo.user", is_demo=True)
    assert login(client, "demo.user", PASSWORD).status_code == 302


def test_an_administrator_set_password_must_be_changed_first(client, recorder):
    recorder.must_change_password = True
    recorder.save()
    client.force_login(recorder)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")

    changed = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "a-brand-new-passphrase-2568",
        "new_password2": "a-brand-new-passphrase-2568",
    })
    assert changed.status_code == 302
    recorder.refresh_from_db()
    assert not recorder.must_change_password
    assert client.get("/").status_code == 200

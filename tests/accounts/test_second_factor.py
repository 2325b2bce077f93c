"""Time-based one-time passwords: required of department and provincial accounts, offered to everyone, with
single-use recovery codes; and login protection that trusts only the configured proxies."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from accounts.models import AccountAction, AccountEvent
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(client, username, address="10.0.0.1", **headers):
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=address, **headers)


def current_code(device: TOTPDevice, *, step_offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + step_offset * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(client, user) -> list[str]:
    page = client.get(reverse("accounts:second_factor_enrol"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("accounts:second_factor_enrol"), {"code": current_code(device)})
    assert done.status_code == 200
    return re.findall(r"<code>(\d{10})</code>", done.content.decode())


# Required of department and provincial accounts ------------------------------------------------------------------

@pytest.mark.parametrize("officer", ["provincial_officer", "department_admin"])
def test_an_officer_of_a_province_or_the_department_must_set_up_a_second_factor_first(client, request, officer):
    user = request.getfixturevalue(officer)
    assert sign_in(client, user.username).status_code == 302
    # Every page leads to the set-up until it is done
    for path in (reverse("home"), reverse("accounts:user_list"), "/dash/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == reverse("accounts:second_factor_enrol"), path

    codes = enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("home")).status_code == 200
    assert AccountEvent.objects.filter(account=user, action=AccountAction.SECOND_FACTOR_ON).exists()


def test_a_wrong_code_sets_nothing_up(client, provincial_officer):
    sign_in(client, provincial_officer.username)
    client.get(reverse("accounts:second_factor_enrol"))
    response = client.post(reverse("accounts:second_factor_enrol"), {"code": "000000"})
    assert "รหัสไม่ถูกต้อง" in response.content.decode()
    assert not second_factor.has_second_factor(provincial_officer)
    assert client.get(reverse("home")).url == reverse("accounts:second_factor_enrol")


def test_the_next_sign_in_asks_for_the_code_and_a_recovery_code_works_once(client, provincial_officer, settings):
    # django-otp makes each device wait after a failure (1 s, then doubling): no waiting in this test
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    sign_in(client, provincial_officer.username)
    codes = enrol(client, provincial_officer)
    client.logout()

    # When the officer signs in again, the code is asked before anything else, and setting up anew is refused
    sign_in(client, provincial_officer.username)
    assert client.get(reverse("home")).url == reverse("accounts:second_factor_verify")
    assert client.get(reverse("accounts:second_factor_enrol")).url == reverse("accounts:second_factor_verify")
    wrong = client.post(reverse("accounts:second_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 200 and "รหัสไม่ถูกต้องหรือหมดอายุ" in wrong.content.decode()

    # A recovery code lets them in, once
    assert client.post(reverse("accounts:second_factor_verify"), {"code": codes[0]}).url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    sign_in(client, provincial_officer.username)
    refused = client.post(reverse("accounts:second_factor_verify"), {"code": codes[0]})
    assert "รหัสไม่ถูกต้อง" in refused.content.decode()
    device = TOTPDevice.objects.get(user=provincial_officer, confirmed=True)
    assert client.post(reverse("accounts:second_factor_verify"),
                       {"code": current_code(device, step_offset=1)}).url == reverse("home")


def test_repeated_wrong_codes_make_the_devices_wait(client, provincial_officer):
    sign_in(client, provincial_officer.username)
    codes = enrol(client, provincial_officer)
    client.logout()
    sign_in(client, provincial_officer.username)
    client.post(reverse("accounts:second_factor_verify"), {"code": "123456"})
    # Right after a failure even a good code is refused: guessing 10^6 codes is throttled by django-otp
    assert client.post(reverse("accounts:second_factor_verify"), {"code": codes[1]}).status_code == 200
    assert client.get(reverse("home")).url == reverse("accounts:second_factor_verify")


def test_a_required_second_factor_cannot_be_switched_off(client, provincial_officer):
    sign_in(client, provincial_officer.username)
    enrol(client, provincial_officer)
    client.post(reverse("accounts:second_factor_remove"))
    assert second_factor.has_second_factor(provincial_officer)


# Offered to everyone ---------------------------------------------------------------------------------------------

def test_a_recorder_is_not_asked_but_may_turn_it_on_and_off(client, recorder):
    sign_in(client, recorder.username)
    assert client.get(reverse("home")).status_code == 200
    page = client.get(reverse("accounts:security")).content.decode()
    assert "เปิดการยืนยันตัวตนสองขั้นตอน" in page
    enrol(client, recorder)
    client.logout()
    sign_in(client, recorder.username)
    assert client.get(reverse("home")).url == reverse("accounts:second_factor_verify")
    device = TOTPDevice.objects.get(user=recorder, confirmed=True)
    # (the code of this 30-second step was used to set it up, and a code is never accepted twice)
    assert client.post(reverse("accounts:second_factor_verify"),
                       {"code": current_code(device, step_offset=1)}).url == reverse("home")
    client.post(reverse("accounts:second_factor_remove"))
    assert not second_factor.has_second_factor(recorder)


def test_demo_accounts_are_spared_so_the_demo_needs_no_phone(client, world, settings):
    from accounts.policy import Role
    from tests.conftest import make_user

    settings.DEBUG = True
    make_user("demo.province", Role.PROVINCIAL_OFFICER, world.province_a, is_demo=True)
    sign_in(client, "demo.province")
    assert client.get(reverse("home")).status_code == 200


def test_the_second_factor_adds_no_query_to_an_ordinary_page(client, recorder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, recorder.username)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    assert captured.captured_queries
    assert not [query for query in captured.captured_queries if "otp_" in query["sql"]]


# Login protection behind the documented proxy -----------------------------------------------------------------------

def fail(client, username, address, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(LOGIN, {"username": username, "password": "wrong-password"}, REMOTE_ADDR=address, **headers)


def test_an_attacker_elsewhere_cannot_lock_a_user_out(client, recorder, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"  # every request reaches the portal through the one reverse proxy
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "recorder", proxy, forwarded="198.51.100.66")
    locked = fail(client, "recorder", proxy, forwarded="198.51.100.66")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "ลองใหม่ได้ตั้งแต่เวลา" in text and "น." in text

    # The user, from their own office, still signs in through the same proxy
    response = client.post(LOGIN, {"username": "recorder", "password": PASSWORD}, REMOTE_ADDR=proxy,
                           HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert response.status_code == 302 and response.url == reverse("home")


def test_a_forged_forwarded_header_does_not_change_the_address(client, recorder, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # The attacker prepends addresses of their own: the proxy appends the real one, which is the one counted
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "recorder", proxy, forwarded=f"192.0.2.{n}, 198.51.100.66")
    assert fail(client, "recorder", proxy, forwarded="192.0.2.200, 198.51.100.66").status_code == 429


def test_without_trusted_proxies_the_header_is_ignored(client, recorder, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "recorder", "198.51.100.66", forwarded=f"192.0.2.{n}")
    assert fail(client, "recorder", "198.51.100.66", forwarded="192.0.2.99").status_code == 429

"""The second factor: time-based one-time passwords (django-otp's TOTP devices) with single-use recovery codes.

Required of department and provincial accounts, offered to everyone. Whether a signed-in session still owes its
second factor is kept in the session itself (set once at sign-in), so an ordinary request asks the database nothing
more than it did before.
"""

import secrets

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import policy
from accounts.models import AccountAction, User
from accounts.services import audit_write

SESSION_KEY = "second_factor"  # "verify": prove it now; "enrol": set one up now (required of this account)
RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"


class SecondFactorRefused(Exception):
    """A code that is wrong, used up, or a change the rules do not allow; the message is for the user."""


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_owes(*, request) -> str:
    """What the signed-in session still owes: "verify", "enrol" or "" (nothing)."""
    return request.session.get(SESSION_KEY, "")


def signed_in(*, request, user: User) -> None:
    """Right after the password was accepted: note in the session what the account still has to prove."""
    if has_second_factor(user):
        request.session[SESSION_KEY] = "verify"
    elif policy.requires_second_factor(user):
        request.session[SESSION_KEY] = "enrol"
    else:
        request.session.pop(SESSION_KEY, None)


def _clean(code: str) -> str:
    return "".join((code or "").split()).lower()


def verify(*, request, user: User, code: str) -> None:
    """Accept a code from the authenticator app, or one unused recovery code (then used up). django-otp throttles
    repeated failures on each device."""
    code = _clean(code)
    devices = [*TOTPDevice.objects.filter(user=user, confirmed=True),
               *StaticDevice.objects.filter(user=user, confirmed=True)]
    for device in devices:
        if device.verify_token(code):
            otp_login(request, device)
            request.session.pop(SESSION_KEY, None)
            return
    raise SecondFactorRefused(_("รหัสไม่ถูกต้องหรือหมดอายุแล้ว กรุณากรอกรหัส 6 หลักล่าสุดจากแอปยืนยันตัวตน หรือรหัสกู้คืน"))


def enrolment_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (a new secret each time the user starts over)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def enrol_confirm(*, request, user: User, code: str) -> list[str]:
    """Confirm the authenticator with its first code: it replaces any earlier one, the session counts as verified,
    and a fresh set of recovery codes is returned to be shown once."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_clean(code)):
        raise SecondFactorRefused(_("รหัสไม่ถูกต้อง กรุณาสแกนคิวอาร์โค้ดอีกครั้งแล้วกรอกรหัส 6 หลักที่แอปแสดงอยู่ขณะนี้"))
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)
    audit_write(actor=user, account=user, action=AccountAction.SECOND_FACTOR_ON)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for an account with an authenticator; the old ones stop working."""
    if not has_second_factor(user):
        raise SecondFactorRefused(_("ตั้งค่าแอปยืนยันตัวตนก่อน จึงจะสร้างรหัสกู้คืนได้"))
    return _new_recovery_codes(user)


@transaction.atomic
def remove(*, user: User) -> None:
    """Turn the second factor off: only for accounts that are not required to have one."""
    if policy.requires_second_factor(user):
        raise SecondFactorRefused(_("บัญชีระดับกรมและจังหวัดต้องใช้การยืนยันตัวตนสองขั้นตอนเสมอ ปิดไม่ได้"))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_write(actor=user, account=user, action=AccountAction.SECOND_FACTOR_OFF)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()

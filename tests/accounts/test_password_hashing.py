"""Passwords are stored with Argon2id as the portal tunes it; a hash of another kind is upgraded at sign-in."""

from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password

from accounts.models import User
from info_portal.settings import base
from tests.conftest import PASSWORD, make_user

ARGON2ID = "argon2$argon2id$v=19$m=38912,t=2,p=1$"


def test_the_portal_hashes_with_argon2id_and_still_checks_pbkdf2():
    assert base.PASSWORD_HASHERS[0] == "accounts.hashers.PortalArgon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in base.PASSWORD_HASHERS
    assert django_settings.AUTH_PASSWORD_VALIDATORS == base.AUTH_PASSWORD_VALIDATORS


def test_a_pbkdf2_hash_becomes_argon2id_at_the_next_sign_in(client, world, settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = make_user("old.hash")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    response = client.post("/accounts/login/", {"username": "old.hash", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID)
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")

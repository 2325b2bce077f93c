"""Invitation links: one-time links to set a password, valid until used, superseded or the account is suspended."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token (it dies once the password is set or after PASSWORD_RESET_TIMEOUT), also bound to the
    account being active and to the number of invitations sent: suspending the account or sending a new invitation
    kills every older link."""

    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{super()._make_hash_value(user, timestamp)}|{user.is_active}|{user.invitation_round}"


invitation_token_generator = InvitationTokenGenerator()


def invitation_link(*, user) -> str:
    """The absolute link of the user's current invitation."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[uid, token])

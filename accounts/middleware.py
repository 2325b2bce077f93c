import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from accounts.second_factor import SESSION_KEY

IDLE_REFRESH_KEY = "_idle_refreshed_at"


class IdleSessionMiddleware:
    """Sessions end SESSION_COOKIE_AGE after the last request, but the stored expiry moves forward at most once
    every SESSION_IDLE_REFRESH_SECONDS: rewriting the session row on every request of a busy clerk costs more
    than the request itself. Placed after SessionMiddleware, so the session it marks as changed is saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response  # nobody signed in, or a session that logout just emptied: nothing to keep alive
        now = int(time.time())
        if session.modified or now - session.get(IDLE_REFRESH_KEY, 0) >= settings.SESSION_IDLE_REFRESH_SECONDS:
            session[IDLE_REFRESH_KEY] = now
        return response


@receiver(user_logged_in, dispatch_uid="accounts.idle_session_stamp")
def _stamp_new_session(sender, request, user, **kwargs) -> None:
    """A session is saved when it is signed in: its expiry is fresh, the next request need not renew it."""
    request.session[IDLE_REFRESH_KEY] = int(time.time())


class ForcedPasswordChangeMiddleware:
    """A user whose password an administrator set may do nothing but change it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"), reverse("set_language"))
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)


class SecondFactorMiddleware:
    """A session that still owes its second factor (see accounts.second_factor) may only prove it or set it up;
    the flag lives in the session, so other requests cost nothing more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        owes = request.session.get(SESSION_KEY, "") if hasattr(request, "session") else ""
        if owes and request.user.is_authenticated:
            target = reverse("accounts:second_factor_verify" if owes == "verify" else "accounts:second_factor_enrol")
            allowed = (target, reverse("accounts:logout"), reverse("set_language"))
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect(target)
        return self.get_response(request)

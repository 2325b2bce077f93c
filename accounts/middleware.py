from django.shortcuts import redirect
from django.urls import reverse

from accounts.second_factor import SESSION_KEY


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

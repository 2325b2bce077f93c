"""Signing in and out, changing one's own password, and accepting an invitation."""

from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import second_factor, services
from accounts.forms import InvitationPasswordForm, LoginForm, OwnPasswordChangeForm
from accounts.tokens import invitation_token_generator


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        second_factor.signed_in(request=self.request, user=user)
        # On a browser where no language was picked yet, the portal speaks the one kept on the account.
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES and user.language != settings.LANGUAGE_CODE:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, user.language, max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        services.account_change_own_password(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("เปลี่ยนรหัสผ่านเรียบร้อยแล้ว"))
        return super(auth_views.PasswordChangeView, self).form_valid(form)


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation link: the new user sets their own password, then signs in."""

    template_name = "accounts/invitation.html"
    form_class = InvitationPasswordForm
    token_generator = invitation_token_generator
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        services.account_change_own_password(user=form.user, password=form.cleaned_data["new_password1"])
        messages.success(self.request, _("ตั้งรหัสผ่านเรียบร้อยแล้ว กรุณาเข้าสู่ระบบ"))
        return super(auth_views.PasswordResetConfirmView, self).form_valid(form)


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked username and address: when to try again, in Thai, as 429."""
    cool_off = get_cool_off(request) or timedelta(0)
    retry_at = timezone.localtime(timezone.now() + cool_off)
    return render(request, "accounts/lockout.html", {
        "retry_at": retry_at, "minutes": max(1, round(cool_off.total_seconds() / 60)),
    }, status=429)

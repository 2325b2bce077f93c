from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"),
        "inactive": _("บัญชีนี้ถูกระงับการใช้งาน"),
        "demo_refused": _("บัญชีสาธิตใช้ได้เฉพาะในระบบทดลอง (DEBUG) เท่านั้น"),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and not settings.DEBUG and User.objects.filter(username=username, is_demo=True).exists():
            raise forms.ValidationError(self.error_messages["demo_refused"], code="demo_refused")
        return super().clean()


class OwnPasswordChangeForm(auth_forms.PasswordChangeForm):
    """Changing one's own password; also the forced change after an administrator set it."""


class InvitationPasswordForm(auth_forms.SetPasswordForm):
    """Setting the first password from an invitation link."""

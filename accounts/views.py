from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts import policy, services
from accounts.forms import InvitationPasswordForm, LoginForm, OwnPasswordChangeForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


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
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        services.account_change_own_password(user=form.user, password=form.cleaned_data["new_password1"])
        messages.success(self.request, _("ตั้งรหัสผ่านเรียบร้อยแล้ว กรุณาเข้าสู่ระบบ"))
        return super(auth_views.PasswordResetConfirmView, self).form_valid(form)


@login_required
def user_list(request):
    """The accounts this officer manages, with their roles."""
    if not policy.districts_overseen(request.user).exists():
        raise Http404
    users = policy.users_managed_by(request.user).order_by("username")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    rows = [{"user": u, "grants": policy.grants_of(u)} for u in page.object_list]
    return render(request, "accounts/user_list.html", {"page": page, "rows": rows, "query": query})

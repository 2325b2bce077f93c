"""Officers manage the accounts of their units: list, create, edit, roles, invitation, password, status.

Every view asks the policy: an account outside the officer's reach is 404; a unit or role outside it is
refused with a message. The services check again, so no view is the only guard.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy, selectors, services
from accounts.forms import AccountCreateForm, AccountUpdateForm, GrantForm, TemporaryPasswordForm, unit_key, unit_label
from accounts.models import User


def manager_required(view):
    """Signed in and allowed the account pages (policy.may_manage_accounts); anyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not policy.may_manage_accounts(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _managed_user_or_404(actor: User, pk: int) -> User:
    account = policy.users_managed_by(actor).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def _refusal(error: PermissionDenied | ValidationError) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def _lookup_context(request, form: GrantForm) -> dict:
    """The unit look-up beside a typed code: matches for ?q=, each a link that fills the code in."""
    if not form.scope.is_department:
        return {}
    query = request.GET.get("q", "").strip()[:100]
    return {"lookup_query": query, "lookup_results": form.scope.search(query) if query else []}


@manager_required
def user_list(request):
    """The accounts this officer manages, with their roles."""
    users = policy.users_managed_by(request.user).order_by("username")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    rows = [{"user": u, "grants": policy.grants_of(u)} for u in page.object_list]
    return render(request, "accounts/user_list.html", {"page": page, "rows": rows, "query": query})


@manager_required
def user_create(request):
    """A new account with its first role; the owner gets an invitation link by e-mail, never a password."""
    actor = request.user
    if request.method == "POST":
        form = AccountCreateForm(request.POST, actor=actor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                account = services.account_create(
                    actor=actor, username=data["username"], full_name=data["full_name"], email=data["email"],
                    position=data["position"], phone=data["phone"], grants=[(data["role"], data["unit"])],
                    password=None,
                )
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, _refusal(error))
            else:
                messages.success(request, _("สร้างบัญชี %(username)s และส่งลิงก์ตั้งรหัสผ่านไปที่ %(email)s แล้ว")
                                 % {"username": account.username, "email": account.email})
                return redirect("accounts:user_detail", pk=account.pk)
    else:
        form = AccountCreateForm(actor=actor, initial={"unit": request.GET.get("unit", "")[:20]})
    return render(request, "accounts/user_form.html", {"form": form, **_lookup_context(request, form)})


HISTORY_ROWS = 50


def _render_detail(request, account: User, *, update_form=None, grant_form=None):
    actor = request.user
    administrable = policy.may_administer_account(actor, account)
    grantable = policy.roles_actor_may_grant(actor)
    grants = [
        {"grant": grant, "unit_label": unit_label(grant.unit), "key": unit_key(grant.unit),
         "revocable": actor.pk != account.pk and grant.role in grantable
         and policy.may_manage_unit(actor, grant.unit)}
        for grant in policy.grants_of(account) if policy.unit_in_scope(actor, grant.unit)
    ]
    grant_form = grant_form or GrantForm(actor=actor, prefix="grant",
                                         initial={"unit": request.GET.get("unit", "")[:20]})
    context = {
        "account": account,
        "administrable": administrable,
        "update_form": update_form or AccountUpdateForm(instance=account),
        "grant_form": grant_form,
        "grants": grants,
        "history": selectors.account_history(actor=actor, account=account)[:HISTORY_ROWS],
        **_lookup_context(request, grant_form),
    }
    return render(request, "accounts/user_detail.html", context)


@manager_required
def user_detail(request, pk: int):
    """The account's contact details (editable), its roles, and what the officer may do with it."""
    account = _managed_user_or_404(request.user, pk)
    if request.method != "POST":
        return _render_detail(request, account)
    form = AccountUpdateForm(request.POST, instance=User.objects.get(pk=account.pk))
    if not form.is_valid():
        return _render_detail(request, account, update_form=form)
    try:
        services.account_update(actor=request.user, user=account, **{
            field: form.cleaned_data[field] for field in ("full_name", "position", "email", "phone")
        })
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("บันทึกข้อมูลบัญชีแล้ว"))
    return redirect("accounts:user_detail", pk=account.pk)


@manager_required
@require_POST
def user_role_add(request, pk: int):
    account = _managed_user_or_404(request.user, pk)
    form = GrantForm(request.POST, actor=request.user, prefix="grant")
    if not form.is_valid():
        return _render_detail(request, account, grant_form=form)
    role, unit = form.cleaned_data["role"], form.cleaned_data["unit"]
    try:
        services.role_grant(actor=request.user, user=account, role=role, unit=unit)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("เพิ่มบทบาท %(role)s · %(unit)s แล้ว")
                         % {"role": role.label, "unit": unit_label(unit)})
    return redirect("accounts:user_detail", pk=account.pk)


@manager_required
@require_POST
def user_role_revoke(request, pk: int):
    account = _managed_user_or_404(request.user, pk)
    form = GrantForm(request.POST, actor=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("accounts:user_detail", pk=account.pk)
    role, unit = form.cleaned_data["role"], form.cleaned_data["unit"]
    try:
        services.role_revoke(actor=request.user, user=account, role=role, unit=unit)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _refusal(error))
        return redirect("accounts:user_detail", pk=account.pk)
    messages.success(request, _("เพิกถอนบทบาท %(role)s · %(unit)s ของ %(username)s แล้ว")
                     % {"role": role.label, "unit": unit_label(unit), "username": account.username})
    # Without that role the account may have left the officer's reach: go back to the list then.
    if not policy.users_managed_by(request.user).filter(pk=account.pk).exists():
        return redirect("accounts:user_list")
    return redirect("accounts:user_detail", pk=account.pk)


@manager_required
@require_POST
def user_invitation_resend(request, pk: int):
    account = _managed_user_or_404(request.user, pk)
    try:
        services.invitation_resend(actor=request.user, user=account)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("ส่งลิงก์ตั้งรหัสผ่านไปที่ %(email)s แล้ว") % {"email": account.email})
    return redirect("accounts:user_detail", pk=account.pk)


@manager_required
def user_set_password(request, pk: int):
    """A temporary password the officer gives the owner in person; the owner must change it at the next login."""
    account = _managed_user_or_404(request.user, pk)
    if not policy.may_administer_account(request.user, account):
        messages.error(request, _("คุณไม่มีสิทธิ์จัดการบัญชีนี้ บัญชีนี้มีบทบาทนอกขอบเขตที่คุณดูแล"))
        return redirect("accounts:user_detail", pk=account.pk)
    form = TemporaryPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_set_password_by_admin(actor=request.user, user=account,
                                                   password=form.cleaned_data["new_password1"])
        except PermissionDenied as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, _("ตั้งรหัสผ่านชั่วคราวแล้ว เจ้าของบัญชีต้องเปลี่ยนรหัสผ่านเมื่อเข้าสู่ระบบครั้งถัดไป"))
        return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_set_password.html", {"account": account, "form": form})


@manager_required
@require_POST
def user_set_active(request, pk: int):
    account = _managed_user_or_404(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.account_set_active(actor=request.user, user=account, active=active)
    except PermissionDenied as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("เปิดใช้งานบัญชีแล้ว") if active else _("ระงับการใช้งานบัญชีแล้ว"))
    return redirect("accounts:user_detail", pk=account.pk)

"""Writes on accounts: creating them, inviting them, and granting or revoking roles."""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts import policy
from accounts.models import User
from accounts.policy import Role


def _check_unit(role: Role, unit: Model | None) -> None:
    expected = role.unit_model
    if expected is None and unit is not None:
        raise ValidationError(_("บทบาทนี้เป็นบทบาทระดับประเทศ ไม่ต้องระบุหน่วยงาน"))
    if expected is not None and not isinstance(unit, expected):
        raise ValidationError(_("บทบาท %(role)s ต้องกำหนดให้กับ %(unit)s")
                              % {"role": role.label, "unit": expected._meta.verbose_name})


def role_grant(*, actor: User | None, user: User, role: Role, unit: Model | None = None) -> None:
    """Give `user` the role on the unit; the actor must manage that unit (None: a system command)."""
    _check_unit(role, unit)
    if actor is not None and (role not in policy.roles_actor_may_grant(actor) or not policy.may_manage_unit(actor, unit)):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์กำหนดบทบาทนี้ให้กับหน่วยงานนี้"))
    if unit is None:
        user.user_permissions.add(Permission.objects.get(codename=role.codename, content_type__app_label="organizations"))
    else:
        assign_perm(role.permission, user, unit)


def role_revoke(*, actor: User | None, user: User, role: Role, unit: Model | None = None) -> None:
    """Take the role on the unit away from `user`."""
    _check_unit(role, unit)
    if actor is not None and not policy.may_manage_unit(actor, unit):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์เปลี่ยนบทบาทของหน่วยงานนี้"))
    if unit is None:
        user.user_permissions.remove(
            Permission.objects.get(codename=role.codename, content_type__app_label="organizations")
        )
    else:
        remove_perm(role.permission, user, unit)


def invitation_link(*, user: User) -> str:
    """A one-time link to set a password; it stops working once the password is set or it expires."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[uid, token])


def invitation_send(*, user: User) -> None:
    """E-mail the invitation link (never a password) once the surrounding transaction commits."""
    if not user.email:
        return
    context = {"user": user, "link": invitation_link(user=user), "days": settings.PASSWORD_RESET_TIMEOUT // 86400}
    subject = _("เชิญเข้าใช้ระบบข้อมูลกลางองค์กรปกครองส่วนท้องถิ่น (INFO)")
    body = render_to_string("accounts/email/invitation.txt", context)
    html = render_to_string("accounts/email/invitation.html", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], html_message=html)
    )


@transaction.atomic
def account_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    email: str = "",
    position: str = "",
    phone: str = "",
    grants: list[tuple[Role, Model | None]] = (),
    password: str | None = None,
    is_demo: bool = False,
) -> User:
    """Create an account with its roles. Without a password it gets an invitation link by e-mail;
    with one set by an administrator, it must change it at the first login."""
    user = User(
        username=username, full_name=full_name, email=email, position=position, phone=phone,
        is_demo=is_demo, created_by=actor,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
        user.must_change_password = actor is not None
    user.full_clean(exclude=["password"])
    user.save()
    for role, unit in grants:
        role_grant(actor=actor, user=user, role=role, unit=unit)
    if password is None:
        invitation_send(user=user)
    return user


def account_set_password_by_admin(*, actor: User, user: User, password: str) -> None:
    """An administrator sets a password: the owner must replace it at the next login."""
    if not policy.users_managed_by(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("คุณไม่มีสิทธิ์จัดการบัญชีนี้"))
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])


def account_change_own_password(*, user: User, password: str) -> None:
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])

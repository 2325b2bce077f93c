"""Writes on accounts: creating them, inviting them, and granting or revoking roles."""

import logging

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
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

logger = logging.getLogger(__name__)


def _who(actor: User | None) -> str:
    return actor.username if actor is not None else "system"


def _check_unit(role: Role, unit: Model | None) -> None:
    expected = role.unit_model
    if expected is None and unit is not None:
        raise ValidationError(_("บทบาทนี้เป็นบทบาทระดับประเทศ ไม่ต้องระบุหน่วยงาน"))
    if expected is not None and not isinstance(unit, expected):
        raise ValidationError(_("บทบาท %(role)s ต้องกำหนดให้กับ %(unit)s")
                              % {"role": role.label, "unit": expected._meta.verbose_name})


DEPARTMENT_ADMIN_APPS = ("organizations", "accounts", "sectors", "certification", "deadlines", "notifications",
                         "dashboards", "django_celery_beat")


def _department_staff_group() -> Group:
    """The admin-site permissions that come with the department role, kept in step with the installed models."""
    group, _created = Group.objects.get_or_create(name="กรมส่งเสริมการปกครองท้องถิ่น")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=DEPARTMENT_ADMIN_APPS))
    return group


def role_grant(*, actor: User | None, user: User, role: Role, unit: Model | None = None) -> None:
    """Give `user` the role on the unit; the actor must manage that unit (None: a system command)."""
    _check_unit(role, unit)
    if actor is not None and (
        role not in policy.roles_actor_may_grant(actor) or not policy.may_manage_unit(actor, unit)
    ):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์กำหนดบทบาทนี้ให้กับหน่วยงานนี้"))
    if unit is None:
        user.user_permissions.add(
            Permission.objects.get(codename=role.codename, content_type__app_label="organizations")
        )
        # The department runs the year from the admin site: catalogue, registry, schedules.
        user.groups.add(_department_staff_group())
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    else:
        assign_perm(role.permission, user, unit)
    logger.info("role %s on %s granted to %s by %s", role, unit, user.username, _who(actor))


def role_revoke(*, actor: User | None, user: User, role: Role, unit: Model | None = None) -> None:
    """Take the role on the unit away from `user`; nobody takes away their own role and locks themselves out."""
    _check_unit(role, unit)
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(_("คุณเพิกถอนบทบาทของตนเองไม่ได้"))
    if actor is not None and not policy.may_manage_unit(actor, unit):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์เปลี่ยนบทบาทของหน่วยงานนี้"))
    if unit is None:
        user.user_permissions.remove(
            Permission.objects.get(codename=role.codename, content_type__app_label="organizations")
        )
        user.groups.remove(_department_staff_group())
        user.is_staff = user.is_superuser
        User.objects.filter(pk=user.pk).update(is_staff=user.is_staff)
    else:
        remove_perm(role.permission, user, unit)
    logger.info("role %s on %s revoked from %s by %s", role, unit, user.username, _who(actor))


def invitation_link(*, user: User) -> str:
    """A one-time link to set a password; it stops working once the password is set or it expires."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[uid, token])


def _invitation_message(user: User) -> EmailMultiAlternatives:
    context = {"user": user, "link": invitation_link(user=user), "days": settings.PASSWORD_RESET_TIMEOUT // 86400}
    message = EmailMultiAlternatives(
        _("เชิญเข้าใช้ระบบข้อมูลกลางองค์กรปกครองส่วนท้องถิ่น (INFO)"),
        render_to_string("accounts/email/invitation.txt", context), settings.DEFAULT_FROM_EMAIL, [user.email],
    )
    message.attach_alternative(render_to_string("accounts/email/invitation.html", context), "text/html")
    return message


def invitations_send(*, users: list[User]) -> None:
    """E-mail each user the invitation link (never a password) once the surrounding transaction commits,
    all over one mail connection."""
    messages = [_invitation_message(user) for user in users if user.email]
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))


def invitation_send(*, user: User) -> None:
    """E-mail the invitation link (never a password) once the surrounding transaction commits."""
    invitations_send(users=[user])


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
    invite: bool = True,
) -> User:
    """Create an account with its roles. Without a password it gets an invitation link by e-mail (unless the
    caller sends the invitations itself); with one set by an administrator, it must change it at the first login."""
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
    if password is None and invite:
        invitation_send(user=user)
    logger.info("account %s created by %s", user.username, _who(actor))
    return user


def _require_administrable(actor: User, user: User) -> None:
    if not policy.may_administer_account(actor, user):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์จัดการบัญชีนี้ บัญชีนี้มีบทบาทนอกขอบเขตที่คุณดูแล"))


@transaction.atomic
def account_update(*, actor: User, user: User, full_name: str, position: str, email: str, phone: str) -> None:
    """Change an account's contact details; a new e-mail address voids any invitation link already sent."""
    _require_administrable(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.full_name, user.position, user.email, user.phone = full_name, position, email, phone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "position", "email", "phone"])
    logger.info("account %s updated by %s", user.username, actor.username)


def invitation_resend(*, actor: User, user: User) -> None:
    """Send a fresh invitation link to an active account's own e-mail address."""
    _require_administrable(actor, user)
    if not user.is_active:
        raise ValidationError(_("บัญชีนี้ถูกระงับการใช้งาน เปิดใช้งานก่อนส่งคำเชิญ"))
    if not user.email:
        raise ValidationError(_("บัญชีนี้ไม่มีอีเมล กรุณาเพิ่มอีเมลก่อนส่งคำเชิญ"))
    invitation_send(user=user)
    logger.info("invitation for %s sent again by %s", user.username, actor.username)


def account_set_password_by_admin(*, actor: User, user: User, password: str) -> None:
    """An administrator sets a password: the owner must replace it at the next login."""
    _require_administrable(actor, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    logger.info("temporary password for %s set by %s", user.username, actor.username)


def account_set_active(*, actor: User, user: User, active: bool) -> None:
    """Suspend or restore an account; a suspended account cannot sign in and its roles give it nothing."""
    _require_administrable(actor, user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    logger.info("account %s %s by %s", user.username, "reactivated" if active else "deactivated", actor.username)


def account_change_own_password(*, user: User, password: str) -> None:
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])

"""Writes on accounts: creating them, inviting them, and granting or revoking roles."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils.translation import gettext as _

from accounts import policy, signals, tokens
from accounts.models import AccountAction, AccountEvent, User
from accounts.policy import Role

logger = logging.getLogger(__name__)


def _who(actor: User | None) -> str:
    return actor.username if actor is not None else "system"


def audit_row(*, actor: User | None, account: User, action: AccountAction, role: Role | None = None,
              unit: Model | None = None, detail: str = "") -> AccountEvent:
    """The audit row of one change, not yet saved: for writers that save many at once."""
    levels = {"province": None, "district": None, "lao": None}
    if unit is not None:
        levels[type(unit).__name__.lower()] = unit
    return AccountEvent(account=account, actor=actor, action=action, role=role.value if role else "",
                        unit_label=str(unit)[:300] if unit is not None else "", detail=detail[:300], **levels)


def audit_write(*, actor: User | None, account: User, action: AccountAction, role: Role | None = None,
                unit: Model | None = None, detail: str = "") -> AccountEvent:
    """The audit row of one change, written in the change's transaction."""
    row = audit_row(actor=actor, account=account, action=action, role=role, unit=unit, detail=detail)
    row.save()
    return row


def _check_unit(role: Role, unit: Model | None) -> None:
    expected = role.unit_model
    if expected is None and unit is not None:
        raise ValidationError(_("บทบาทนี้เป็นบทบาทระดับประเทศ ไม่ต้องระบุหน่วยงาน"))
    if expected is not None and not isinstance(unit, expected):
        raise ValidationError(_("บทบาท %(role)s ต้องกำหนดให้กับ %(unit)s")
                              % {"role": role.label, "unit": expected._meta.verbose_name})


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: Role, unit: Model | None = None) -> None:
    """Give `user` the role on the unit; the actor must manage that unit (None: a system command), and nobody
    grants a role to themselves."""
    _check_unit(role, unit)
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(_("คุณกำหนดบทบาทให้ตนเองไม่ได้ ต้องให้ผู้ดูแลอีกคนหนึ่งเป็นผู้กำหนด"))
    if actor is not None and (
        role not in policy.roles_actor_may_grant(actor) or not policy.may_manage_unit(actor, unit)
    ):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์กำหนดบทบาทนี้ให้กับหน่วยงานนี้"))
    policy.grant_store(user, role, unit)
    if unit is None:
        # The department runs the year from the admin site: catalogue, registry, schedules.
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    audit_write(actor=actor, account=user, action=AccountAction.ROLE_GRANTED, role=role, unit=unit)
    policy.forget_roles(user)
    logger.info("role %s on %s granted to %s by %s", role, unit, user.username, _who(actor))


@transaction.atomic
def role_revoke(*, actor: User | None, user: User, role: Role, unit: Model | None = None) -> None:
    """Take the role on the unit away from `user`; nobody takes away their own role and locks themselves out."""
    _check_unit(role, unit)
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(_("คุณเพิกถอนบทบาทของตนเองไม่ได้"))
    if actor is not None and not policy.may_manage_unit(actor, unit):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์เปลี่ยนบทบาทของหน่วยงานนี้"))
    policy.grant_delete(user, role, unit)
    if unit is None:
        user.is_staff = user.is_superuser
        User.objects.filter(pk=user.pk).update(is_staff=user.is_staff)
    audit_write(actor=actor, account=user, action=AccountAction.ROLE_REVOKED, role=role, unit=unit)
    policy.forget_roles(user)
    logger.info("role %s on %s revoked from %s by %s", role, unit, user.username, _who(actor))


def invitation_link(*, user: User) -> str:
    """A one-time link to set a password; it stops working once the password is set, a newer invitation is sent,
    the account is suspended, or it expires."""
    return tokens.invitation_link(user=user)


@transaction.atomic
def invitations_send(*, users: list[User], actor: User | None = None) -> None:
    """Issue a new invitation to each user with an e-mail address: every older link dies, and the e-mail (the link,
    never a password) is written to the outbox in this same transaction, to be sent once it commits."""
    invited = [user for user in users if user.email]
    if not invited:
        return
    User.objects.filter(pk__in=[user.pk for user in invited]).update(invitation_round=F("invitation_round") + 1)
    rounds = dict(User.objects.filter(pk__in=[user.pk for user in invited]).values_list("pk", "invitation_round"))
    for user in invited:
        user.invitation_round = rounds[user.pk]
    AccountEvent.objects.bulk_create([AccountEvent(account=user, actor=actor, action=AccountAction.INVITED,
                                                   detail=user.email[:300]) for user in invited])
    signals.invitations_issued.send(sender=User, invitations=[(user, user.invitation_round) for user in invited])


def invitation_send(*, user: User, actor: User | None = None) -> None:
    """Issue a new invitation to one user (see invitations_send)."""
    invitations_send(users=[user], actor=actor)


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
    audit_write(actor=actor, account=user, action=AccountAction.CREATED)
    for role, unit in grants:
        role_grant(actor=actor, user=user, role=role, unit=unit)
    if password is None and invite:
        invitation_send(user=user, actor=actor)
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
    fields = {"full_name": full_name, "position": position, "email": email, "phone": phone}
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
    if changed:
        labels = ", ".join(str(User._meta.get_field(name).verbose_name) for name in changed)
        audit_write(actor=actor, account=user, action=AccountAction.UPDATED, detail=labels)
    logger.info("account %s updated by %s", user.username, actor.username)


@transaction.atomic
def invitation_resend(*, actor: User, user: User) -> None:
    """Send a fresh invitation link to an active account's own e-mail address."""
    _require_administrable(actor, user)
    if not user.is_active:
        raise ValidationError(_("บัญชีนี้ถูกระงับการใช้งาน เปิดใช้งานก่อนส่งคำเชิญ"))
    if not user.email:
        raise ValidationError(_("บัญชีนี้ไม่มีอีเมล กรุณาเพิ่มอีเมลก่อนส่งคำเชิญ"))
    invitation_send(user=user, actor=actor)
    logger.info("invitation for %s sent again by %s", user.username, actor.username)


@transaction.atomic
def account_set_password_by_admin(*, actor: User, user: User, password: str) -> None:
    """An administrator sets a password: the owner must replace it at the next login."""
    _require_administrable(actor, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_write(actor=actor, account=user, action=AccountAction.PASSWORD_SET)
    logger.info("temporary password for %s set by %s", user.username, actor.username)


@transaction.atomic
def account_set_active(*, actor: User, user: User, active: bool) -> None:
    """Suspend or restore an account; a suspended account cannot sign in and its roles give it nothing, and the
    invitation links sent before the suspension stay dead when it is restored."""
    _require_administrable(actor, user)
    user.is_active = active
    fields = ["is_active"]
    if not active:
        user.invitation_round += 1
        fields.append("invitation_round")
    user.save(update_fields=fields)
    audit_write(actor=actor, account=user, action=AccountAction.ACTIVATED if active else AccountAction.DEACTIVATED)
    logger.info("account %s %s by %s", user.username, "reactivated" if active else "deactivated", actor.username)


@transaction.atomic
def account_change_own_password(*, user: User, password: str) -> None:
    """The owner sets their own password (from an invitation or the password page); it is no longer temporary."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_write(actor=user, account=user, action=AccountAction.PASSWORD_CHANGED)


def account_language_set(*, user: User, language: str) -> None:
    """Keep the language the user chose: the portal's messages and e-mails to them are written in it."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])

"""Writes on acting heads: a manager of an LAO appoints an account to certify in place of its absent head between
two days, and may end the appointment early. Each write is atomic and audited; appointments are never deleted."""

import logging
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import AccountAction, ActingAppointment, ActingCapacity, User
from accounts.policy import Action
from accounts.services import audit_write
from info_portal.thai import thai_date
from organizations.models import LAO
from organizations.names import head_title

logger = logging.getLogger(__name__)

MAX_DAYS = 366  # an order for longer than a year is a new head, not an acting one


def _require_manager(actor: User, lao: LAO) -> None:
    if not policy.can(actor, Action.MANAGE, lao):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์แต่งตั้งผู้รักษาราชการแทนของ อปท. นี้"))


def _range_label(starts_on: date, ends_on: date) -> str:
    return f"{thai_date(starts_on)} – {thai_date(ends_on)}"


def default_acting_for(lao: LAO) -> str:
    """The office acted for, unless the order names another: the title of the LAO's head."""
    return head_title(lao.name_th)


def acting_appoint_check(*, actor: User, lao: LAO, user: User, capacity: str, order_ref: str, starts_on: date,
                         ends_on: date, today: date) -> None:
    """The rules of an appointment, each refused with a Thai message."""
    errors = {}
    if capacity not in ActingCapacity.values:
        errors["capacity"] = _("กรุณาเลือกฐานะการรักษาราชการแทน")
    if not order_ref.strip():
        errors["order_ref"] = _("กรุณาระบุเลขที่คำสั่งแต่งตั้ง")
    if user.pk == actor.pk:
        errors["user"] = _("คุณแต่งตั้งตนเองไม่ได้ ต้องให้ผู้ดูแลอีกคนหนึ่งเป็นผู้แต่งตั้ง")
    elif not user.is_active:
        errors["user"] = _("บัญชีนี้ถูกระงับการใช้งาน")
    elif policy.holds_grant(user, policy.Role.CERTIFIER, lao):
        errors["user"] = _("ผู้นี้เป็นผู้รับรองข้อมูลของ อปท. นี้อยู่แล้ว")
    if ends_on < starts_on:
        errors["ends_on"] = _("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น")
    elif ends_on < today:
        errors["ends_on"] = _("วันสิ้นสุดผ่านไปแล้ว")
    elif (ends_on - starts_on).days + 1 > MAX_DAYS:
        errors["ends_on"] = _("แต่งตั้งได้ครั้งละไม่เกิน 1 ปี")
    elif (overlap := policy.acting_overlaps(lao, starts_on, ends_on).select_related("user").first()) is not None:
        errors["starts_on"] = _("ช่วงเวลานี้ซ้อนกับการแต่งตั้ง %(user)s (%(range)s)") % {
            "user": overlap.user, "range": _range_label(overlap.starts_on, overlap.last_day)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def acting_appoint(*, actor: User, lao: LAO, user: User, capacity: str, order_ref: str, starts_on: date,
                   ends_on: date, today: date, acting_for: str = "") -> ActingAppointment:
    """A manager of the LAO (its district, its province, the department) appoints an acting head for a range of
    days; no two appointments of one LAO are in force on the same day."""
    _require_manager(actor, lao)
    # One appointment of the LAO at a time.
    LAO.objects.select_for_update(of=("self",)).filter(pk=lao.pk).order_by().first()
    acting_appoint_check(actor=actor, lao=lao, user=user, capacity=capacity, order_ref=order_ref,
                         starts_on=starts_on, ends_on=ends_on, today=today)
    appointment = ActingAppointment.objects.create(
        lao=lao, user=user, capacity=capacity, acting_for=(acting_for.strip() or default_acting_for(lao))[:200],
        order_ref=order_ref.strip()[:200], starts_on=starts_on, ends_on=ends_on, appointed_by=actor)
    audit_write(actor=actor, account=user, action=AccountAction.ACTING_APPOINTED, role=policy.Role.CERTIFIER,
                unit=lao, detail=f"{appointment} · {appointment.order_ref} · {_range_label(starts_on, ends_on)}")
    policy.forget_roles(user)
    logger.info("acting head %s of lao %s appointed by %s", user.username, lao.pk, actor.username)
    return appointment


@transaction.atomic
def acting_revoke(*, actor: User, appointment_id: int, today: date) -> ActingAppointment:
    """A manager of the LAO ends an appointment early: from today on it gives nothing."""
    appointment = ActingAppointment.objects.select_for_update(of=("self",)) \
        .select_related("lao", "user").get(pk=appointment_id)
    _require_manager(actor, appointment.lao)
    if appointment.revoked_on is not None:
        raise ValidationError(_("การแต่งตั้งนี้ถูกยกเลิกไปแล้ว"))
    if appointment.ends_on < today:
        raise ValidationError(_("การแต่งตั้งนี้สิ้นสุดไปแล้ว"))
    appointment.revoked_on = max(today, appointment.starts_on)
    appointment.revoked_by = actor
    appointment.save(update_fields=["revoked_on", "revoked_by"])
    audit_write(actor=actor, account=appointment.user, action=AccountAction.ACTING_REVOKED,
                role=policy.Role.CERTIFIER, unit=appointment.lao,
                detail=f"{appointment} · {appointment.order_ref} · {thai_date(today)}")
    policy.forget_roles(appointment.user)
    logger.info("acting head %s of lao %s revoked by %s", appointment.user.username, appointment.lao_id,
                actor.username)
    return appointment


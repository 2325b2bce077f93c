"""Writes on rounds and deadlines: internal deadlines never later than the parent's; extensions with a reason."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from deadlines.models import Extension, LevelDeadline, ReportingRound
from deadlines.selectors import DeadlineBook
from info_portal.thai import thai_date
from organizations.models import LAO, District, Province
from sectors.models import FiscalYear


@transaction.atomic
def round_set(*, actor: User, fiscal_year: FiscalYear, opens_on: date, record_by: date, certify_by: date,
              closes_on: date | None = None, reminder_stages: list[int] | None = None) -> ReportingRound:
    """The department sets (or changes) a fiscal year's round and its national deadlines."""
    if not policy.is_department(actor):
        raise PermissionDenied
    round_, _created = ReportingRound.objects.get_or_create(
        fiscal_year=fiscal_year, defaults={"opens_on": opens_on, "record_by": record_by, "certify_by": certify_by})
    round_.opens_on, round_.record_by, round_.certify_by, round_.closes_on = opens_on, record_by, certify_by, closes_on
    if reminder_stages is not None:
        round_.reminder_stages = reminder_stages
    round_.full_clean()
    round_.save()
    return round_


def _not_later_than(parent, record_by: date, certify_by: date) -> None:
    errors = {}
    if record_by > parent.record_by:
        errors["record_by"] = _("ต้องไม่เกินกำหนดของระดับเหนือขึ้นไป (%(date)s)") % {"date": thai_date(parent.record_by)}
    if certify_by > parent.certify_by:
        errors["certify_by"] = _("ต้องไม่เกินกำหนดของระดับเหนือขึ้นไป (%(date)s)") % {
            "date": thai_date(parent.certify_by)}
    if record_by > certify_by:
        errors["certify_by"] = _("วันรับรองต้องไม่ก่อนวันบันทึกแล้วเสร็จ")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def level_deadline_set(*, actor: User, round_: ReportingRound, unit: Province | District, record_by: date,
                       certify_by: date) -> LevelDeadline:
    """A province sets an internal deadline for itself, a district for itself; never later than the parent's."""
    book = DeadlineBook(round_)
    if isinstance(unit, Province):
        if not policy.provinces_overseen(actor).filter(pk=unit.pk).exists():
            raise PermissionDenied
        parent = book.national
        lookup = {"province": unit}
    else:
        if not policy.districts_overseen(actor).filter(pk=unit.pk).exists():
            raise PermissionDenied
        parent = book.for_province(unit.province_id)
        lookup = {"district": unit}
    _not_later_than(parent, record_by, certify_by)
    level, _created = LevelDeadline.objects.update_or_create(
        round=round_, **lookup, defaults={"record_by": record_by, "certify_by": certify_by, "set_by": actor})
    return level


@transaction.atomic
def extension_grant(*, actor: User, round_: ReportingRound, unit: LAO | District, certify_by: date,
                    reason: str) -> Extension:
    """A province (or the department) extends the deadline of one LAO or one district, with a reason."""
    province_id = unit.province_id
    if not (policy.is_department(actor) or policy.provinces_overseen(actor).filter(pk=province_id).exists()):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("กรุณาระบุเหตุผลของการขยายเวลา")})
    current = DeadlineBook(round_).for_lao(unit) if isinstance(unit, LAO) else \
        DeadlineBook(round_).for_district(unit.pk, unit.province_id)
    if certify_by <= current.certify_by:
        raise ValidationError({"certify_by": _("วันที่ขยายต้องหลังกำหนดเดิม (%(date)s)")
                               % {"date": thai_date(current.certify_by)}})
    target = {"lao": unit} if isinstance(unit, LAO) else {"district": unit}
    return Extension.objects.create(round=round_, certify_by=certify_by, reason=reason.strip(), granted_by=actor,
                                    **target)

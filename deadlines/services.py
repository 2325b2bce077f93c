"""Writes on rounds and deadlines: internal deadlines never later than the parent's; extensions with a reason;
the announcement of a round to every level at once; a reminder sent by hand to one LAO."""

import uuid
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from deadlines import reminders
from deadlines.models import ChaseLog, Extension, LevelDeadline, ReportingRound
from deadlines.selectors import DeadlineBook, Person, round_snapshot
from info_portal.thai import thai_date
from jobs.models import Job
from jobs.services import Outcome, Progress, job_start
from notifications.services import Written
from organizations.models import LAO, District, Province
from sectors.models import FiscalYear


@transaction.atomic
def round_set(*, actor: User, fiscal_year: FiscalYear, opens_on: date, record_by: date, certify_by: date,
              closes_on: date | None = None, reminder_stages: list[int] | None = None,
              overdue_every_days: int | None = None) -> ReportingRound:
    """The department sets (or changes) a fiscal year's round and its national deadlines."""
    if not policy.may_set_round(actor):
        raise PermissionDenied
    round_, _created = ReportingRound.objects.get_or_create(
        fiscal_year=fiscal_year, defaults={"opens_on": opens_on, "record_by": record_by, "certify_by": certify_by})
    round_.opens_on, round_.record_by, round_.certify_by, round_.closes_on = opens_on, record_by, certify_by, closes_on
    if reminder_stages is not None:
        round_.reminder_stages = reminder_stages
    if overdue_every_days is not None:
        round_.overdue_every_days = overdue_every_days
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
    if not policy.may_set_level_deadline(actor, unit):
        raise PermissionDenied
    book = DeadlineBook(round_)
    if isinstance(unit, Province):
        parent = book.national
        lookup = {"province": unit}
    else:
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
    if not policy.may_extend(actor, unit):
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


def round_publish_start(*, actor: User, round_: ReportingRound, now: datetime | None = None) -> Job:
    """The department starts publishing a round; a worker writes the announcements (see round_publish) and the
    job's page follows it. One publication of a round runs at a time."""
    if not policy.may_set_round(actor):
        raise PermissionDenied
    from deadlines.tasks import round_publish_task  # tasks call services: import here, not above

    now = now or timezone.now()
    return job_start(
        kind="round_publish", task=round_publish_task, started_by=actor, scope=f"round:{round_.pk}",
        title=_("ประกาศรอบการบันทึกข้อมูล %(year)s") % {"year": round_.fiscal_year},
        params={"round_id": round_.pk, "now": now.isoformat()},
        return_url=reverse("deadlines:round_year", args=[round_.fiscal_year.be_year]),
    )


def round_publish_job(job: Job, progress: Progress) -> Outcome:
    """The work of a round_publish job: the round and the moment come from the job, the actor is its starter."""
    round_ = ReportingRound.objects.select_related("fiscal_year").get(pk=job.params["round_id"])
    written = round_publish(actor=job.started_by, round_=round_, now=datetime.fromisoformat(job.params["now"]),
                            progress=progress)
    return Outcome(summary=_("ประกาศรอบแล้ว: ส่งการแจ้งเตือนใหม่ %(count)s รายการ (ในระบบและอีเมล)")
                   % {"count": f"{written.created:,}"},
                   result={"created": written.created, "existing": written.existing})


def round_publish(*, actor: User, round_: ReportingRound, now: datetime | None = None,
                  progress: Progress | None = None) -> Written:
    """The department announces a round: every provincial officer, district officer and LAO user hears it at once,
    in the portal and by e-mail, each with the deadline that applies to them. Publishing again reaches only those
    who have not heard it yet (accounts created since). The announcements are written in chunks, each in its own
    transaction under unique keys: a run cut short (a worker killed) and run again finishes the rest, once."""
    if not policy.may_set_round(actor):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        round_ = ReportingRound.objects.select_for_update().select_related("fiscal_year").get(pk=round_.pk)
        if round_.published_at is None:
            round_.published_at, round_.published_by = now, actor
            round_.save(update_fields=["published_at", "published_by"])
    if progress:
        progress(0, step=_("กำลังเตรียมรายชื่อผู้รับ"))
    planned = reminders.announcement_plan(round_snapshot(round_), timezone.localdate(now))
    created = existing = 0
    email_ids: list[int] = []
    chunk = settings.JOB_CHUNK_SIZE  # announcements (a portal and an e-mail row each) per transaction
    for start in range(0, len(planned), chunk):
        with transaction.atomic():
            written = reminders.messages_write(planned[start:start + chunk])
        created, existing, email_ids = created + written.created, existing + written.existing, \
            email_ids + written.email_ids
        if progress:
            progress(min(start + chunk, len(planned)), len(planned), step=_("กำลังบันทึกประกาศถึงผู้รับ"))
    return Written(created=created, existing=existing, email_ids=email_ids)


def chase_token() -> uuid.UUID:
    """A fresh token for one chase form: sending the same form twice sends once."""
    return uuid.uuid4()


@transaction.atomic
def lao_chase(*, actor: User, lao: LAO, round_: ReportingRound, token: uuid.UUID, note: str = "",
              now: datetime | None = None) -> ChaseLog:
    """A district or provincial officer (or the department) reminds one LAO now: each of its users with work
    waiting hears what waits at their step, in the portal and by e-mail. Each send is recorded; the same form
    sent twice sends once. Refused when nothing waits."""
    if not policy.can(actor, Action.OVERSEE, lao):
        raise PermissionDenied
    lao = LAO.objects.select_for_update().get(pk=lao.pk)  # one chase of an LAO at a time
    already = ChaseLog.objects.filter(token=token).first()
    if already is not None:
        return already
    now = now or timezone.now()
    snapshot = round_snapshot(round_, laos=LAO.objects.filter(pk=lao.pk), officers=False)
    if not snapshot.laos:
        raise ValidationError(_("อปท. นี้ไม่ได้อยู่ในรอบการบันทึกข้อมูล"))
    note = (note or "").strip()[:1000]
    log = ChaseLog(round=round_, lao=lao, sent_by=actor, sent_at=now, note=note, token=token)
    log.save()
    sender = Person(actor.pk, actor.username, actor.full_name, actor.email, actor.phone, actor.position, actor.language)
    planned = reminders.chase_plan(snapshot, snapshot.laos[0], sender=sender,
                                   sender_unit=lambda: _officer_unit(actor, lao),
                                   note=note, chase_id=log.pk, today=timezone.localdate(now))
    if not planned:
        raise ValidationError(_("อปท. นี้ไม่มีงานค้างที่ต้องเร่งรัด"))
    log.recipients = len(planned)
    log.save(update_fields=["recipients"])
    reminders.messages_write(planned)
    return log


def _officer_unit(actor: User, lao: LAO) -> str:
    """Who is chasing, as the LAO will read it: the district, the province or the department."""
    if policy.chases_as_district(actor, lao):
        return _("ท้องถิ่นอำเภอ%(name)s") % {"name": lao.district.display_name}
    if not policy.is_department(actor):
        return _("ท้องถิ่นจังหวัด%(name)s") % {"name": lao.province.display_name}
    return _("กรมส่งเสริมการปกครองท้องถิ่น")

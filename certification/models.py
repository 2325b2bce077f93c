"""The record of every transition of a report, and the seal of its certified values."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ActingCapacity
from sectors.models import ReportStatus, SectorReport
from sectors.workflow import TransitionAction


class ReportEvent(models.Model):
    """One transition: from, to, who, when, the comment, and on a return the reasons per item."""

    report = models.ForeignKey(SectorReport, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("การดำเนินการ"), max_length=16, choices=TransitionAction.choices)
    from_status = models.CharField(_("จากสถานะ"), max_length=16, choices=ReportStatus.choices)
    to_status = models.CharField(_("เป็นสถานะ"), max_length=16, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("เมื่อ"), default=timezone.now, db_index=True)
    comment = models.TextField(_("ความเห็น"), blank=True)
    field_reasons = models.JSONField(_("เหตุผลรายรายการ"), default=dict, blank=True)
    # On a reopen, the values as the rows held them at that moment (which the seal then still guarded): what a
    # superseded seal is checked against once the rows have been corrected.
    sealed_values = models.JSONField(_("ค่าที่รับรองไว้เมื่อเปิดแก้ไข"), default=dict, db_default={}, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("ประวัติการดำเนินการ")
        verbose_name_plural = _("ประวัติการดำเนินการ")
        indexes = [models.Index(fields=["report", "at"]), models.Index(fields=["to_status", "at"])]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_action_display()}"


class CertificationSeal(models.Model):
    """A canonical JSON snapshot of the certified values and its SHA-256, with who certified and when."""

    report = models.ForeignKey(SectorReport, on_delete=models.PROTECT, related_name="seals")
    number = models.PositiveIntegerField(_("การรับรองครั้งที่"))
    event = models.OneToOneField(ReportEvent, on_delete=models.PROTECT, related_name="seal")
    canonical = models.TextField(_("ข้อมูลที่รับรอง (JSON)"))
    sha256 = models.CharField(_("ค่าแฮช SHA-256"), max_length=64, db_index=True)
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    certified_at = models.DateTimeField(_("รับรองเมื่อ"))
    superseded_at = models.DateTimeField(_("ถูกเปิดแก้ไขเมื่อ"), null=True, blank=True)
    # A certify by an acting head: the appointment and what it said then, as the sealed text holds it too.
    acting_appointment = models.ForeignKey("accounts.ActingAppointment", on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="seals", verbose_name=_("การแต่งตั้ง"))
    acting_capacity = models.CharField(_("ฐานะ"), max_length=16, choices=ActingCapacity.choices, blank=True)
    acting_for = models.CharField(_("ตำแหน่งที่รักษาราชการแทน"), max_length=200, blank=True)
    acting_order_ref = models.CharField(_("เลขที่คำสั่ง"), max_length=200, blank=True)

    class Meta:
        ordering = ["-certified_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="seal_number_once_per_report")]
        verbose_name = _("ตราการรับรอง")
        verbose_name_plural = _("ตราการรับรอง")

    def __str__(self) -> str:
        return f"{self.report} · {self.number} · {self.sha256[:12]}"

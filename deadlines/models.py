"""Reporting rounds and the deadlines that apply at each level: department, province, district, LAO."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import LAO, District, Province
from sectors.models import FiscalYear

DEFAULT_STAGES = [14, 7, 3, 1, 0]  # days before the deadline; 0 is the day itself
DEFAULT_OVERDUE_EVERY = 3


# The latest fiscal year's round first.
ROUND_ORDER = ("-fiscal_year__be_year",)


class ReportingRound(models.Model):
    """One fiscal year's round of recording and certifying, with the department's national deadlines."""

    fiscal_year = models.OneToOneField(FiscalYear, on_delete=models.PROTECT, related_name="round")
    opens_on = models.DateField(_("เปิดให้บันทึกตั้งแต่"))
    record_by = models.DateField(_("บันทึกให้แล้วเสร็จภายใน"))
    certify_by = models.DateField(_("รับรองให้แล้วเสร็จภายใน"))
    closes_on = models.DateField(_("ปิดรอบ"), null=True, blank=True,
                                 help_text=_("หลังวันนี้ไม่มีการแจ้งเตือนอีก"))
    reminder_stages = models.JSONField(_("แจ้งเตือนก่อนกำหนด (วัน)"), default=list, blank=True,
                                       help_text=_("เช่น [14, 7, 3, 1, 0]; 0 = วันครบกำหนด"))
    overdue_every_days = models.PositiveSmallIntegerField(_("เตือนซ้ำเมื่อเลยกำหนดทุก (วัน)"),
                                                          default=DEFAULT_OVERDUE_EVERY)
    published_at = models.DateTimeField(_("ประกาศเมื่อ"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        verbose_name = _("รอบการบันทึกข้อมูล")
        verbose_name_plural = _("รอบการบันทึกข้อมูล")

    def __str__(self) -> str:
        return f"{self.fiscal_year}"

    def clean(self) -> None:
        if self.opens_on and self.record_by and self.record_by < self.opens_on:
            raise ValidationError({"record_by": _("วันบันทึกแล้วเสร็จต้องไม่ก่อนวันเปิดให้บันทึก")})
        if self.record_by and self.certify_by and self.certify_by < self.record_by:
            raise ValidationError({"certify_by": _("วันรับรองแล้วเสร็จต้องไม่ก่อนวันบันทึกแล้วเสร็จ")})
        if self.closes_on and self.certify_by and self.closes_on < self.certify_by:
            raise ValidationError({"closes_on": _("วันปิดรอบต้องไม่ก่อนวันรับรองแล้วเสร็จ")})
        stages = self.reminder_stages or []
        if not isinstance(stages, list) or not all(isinstance(d, int) and 0 <= d <= 90 for d in stages):
            raise ValidationError({"reminder_stages": _("ระบุเป็นรายการจำนวนวัน 0–90 เช่น [14, 7, 3, 1, 0]")})

    @property
    def stages(self) -> list[int]:
        return sorted(set(self.reminder_stages or DEFAULT_STAGES), reverse=True)


class LevelDeadline(models.Model):
    """An earlier internal deadline set by a province (for its districts and LAOs) or a district (for its LAOs)."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="level_deadlines")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    record_by = models.DateField(_("บันทึกให้แล้วเสร็จภายใน"))
    certify_by = models.DateField(_("รับรองให้แล้วเสร็จภายใน"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("กำหนดเวลาภายในของจังหวัด/อำเภอ")
        verbose_name_plural = _("กำหนดเวลาภายในของจังหวัด/อำเภอ")
        constraints = [
            models.CheckConstraint(condition=models.Q(province__isnull=True) ^ models.Q(district__isnull=True),
                                   name="level_deadline_one_unit"),
            models.UniqueConstraint(fields=["round", "province"], name="one_deadline_per_province"),
            models.UniqueConstraint(fields=["round", "district"], name="one_deadline_per_district"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.province or self.district}"


class Extension(models.Model):
    """A later deadline for one LAO or one district, granted with a reason."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="extensions")
    lao = models.ForeignKey(LAO, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    certify_by = models.DateField(_("ขยายเวลารับรองถึง"))
    reason = models.TextField(_("เหตุผล"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("การขยายเวลา")
        verbose_name_plural = _("การขยายเวลา")
        constraints = [
            models.CheckConstraint(condition=models.Q(lao__isnull=True) ^ models.Q(district__isnull=True),
                                   name="extension_one_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.lao or self.district} → {self.certify_by}"


class ChaseLog(models.Model):
    """One reminder sent now to one LAO by a district or provincial officer (or the department), as a record."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="chases")
    lao = models.ForeignKey(LAO, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), db_index=True)
    note = models.TextField(_("ข้อความถึง อปท."), blank=True)
    recipients = models.PositiveIntegerField(_("จำนวนผู้รับ"), default=0)
    # One per form shown: sending the same form twice (a double click, a reload) sends once.
    token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("การติดตามเร่งรัด")
        verbose_name_plural = _("การติดตามเร่งรัด")
        indexes = [models.Index(fields=["round", "lao"])]

    def __str__(self) -> str:
        return f"{self.lao} · {self.sent_at:%Y-%m-%d %H:%M}"

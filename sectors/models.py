"""The yearly catalogue (sectors, items, rules) and each LAO's reports and values."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from info_portal.names import LocalName, local_text
from info_portal.thai import FiscalYear as FiscalYearDates
from organizations.models import LAO
from sectors.workflow import EDITABLE_STATUSES, ReportStatus, Step, pending_step


def _new_stamp() -> str:
    return uuid.uuid4().hex


class FiscalYear(models.Model):
    """ปีงบประมาณ: 1 October – 30 September, named by the Buddhist-Era year in which it ends."""

    be_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), unique=True)
    is_current = models.BooleanField(_("ปีปัจจุบัน"), default=False)
    # Changes whenever an item, a rule or a sector of the catalogue changes (database triggers): the catalogue
    # kept in memory by sectors.selectors.catalogue_of is valid exactly while the stamp it was read under is.
    catalogue_stamp = models.CharField(max_length=32, default=_new_stamp, editable=False)

    class Meta:
        ordering = ["-be_year"]
        verbose_name = _("ปีงบประมาณ")
        verbose_name_plural = _("ปีงบประมาณ")
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=models.Q(is_current=True),
                                    name="one_current_fiscal_year"),
        ]

    def __str__(self) -> str:
        return self.dates.label

    @property
    def dates(self) -> FiscalYearDates:
        return FiscalYearDates(self.be_year)


class Sector(LocalName, models.Model):
    """One of the eight sectors fixed by DLA (ด้าน), the same every year."""

    code = models.SlugField(_("รหัส"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"))
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=200)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=200)

    class Meta:
        ordering = ["order"]
        verbose_name = _("ด้าน")
        verbose_name_plural = _("ด้าน")

    def __str__(self) -> str:
        return self.display_name


class IndicatorKind(models.TextChoices):
    INTEGER = "integer", _("จำนวนเต็ม")
    DECIMAL = "decimal", _("ทศนิยม")
    TEXT = "text", _("ข้อความ")
    YES_NO = "yes_no", _("มี/ไม่มี")
    CHOICE = "choice", _("ตัวเลือก")


NUMERIC_KINDS = (IndicatorKind.INTEGER, IndicatorKind.DECIMAL)


# The catalogue's order: by sector, then the item's own place in it. The default ordering keeps to the item's own
# columns so that no query joins the sectors for it; a list across sectors asks for this.
INDICATOR_ORDER = ("sector__order", "order", "code")


class Indicator(LocalName, models.Model):
    """One data item of a sector in one fiscal year's catalogue."""

    name_th_field, name_en_field = "label_th", "label_en"

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="indicators")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="indicators")
    code = models.SlugField(_("รหัสรายการ"), max_length=60)
    label_th = models.CharField(_("ชื่อรายการ"), max_length=300)
    label_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=300, blank=True)
    help_text = models.TextField(_("คำอธิบาย"), blank=True)
    kind = models.CharField(_("ชนิดข้อมูล"), max_length=16, choices=IndicatorKind.choices)
    unit = models.CharField(_("หน่วย"), max_length=40, blank=True)
    unit_en = models.CharField(_("หน่วยภาษาอังกฤษ"), max_length=40, blank=True)
    required = models.BooleanField(_("ต้องกรอก"), default=False)
    min_value = models.DecimalField(_("ค่าต่ำสุด"), max_digits=20, decimal_places=4, null=True, blank=True,
                                    default=Decimal(0))
    max_value = models.DecimalField(_("ค่าสูงสุด"), max_digits=20, decimal_places=4, null=True, blank=True)
    choices = models.JSONField(_("ตัวเลือก"), default=list, blank=True)
    section = models.CharField(_("หมวด"), max_length=200, blank=True)
    section_en = models.CharField(_("หมวดภาษาอังกฤษ"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    lao_types = models.JSONField(
        _("ประเภท อปท. ที่ต้องกรอก"), default=list, blank=True,
        help_text=_("เว้นว่างไว้ = ทุกประเภท"),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("รายการข้อมูล")
        verbose_name_plural = _("รายการข้อมูล")
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "code"], name="one_code_per_fiscal_year")]

    def __str__(self) -> str:
        return f"{self.code} · {self.display_name}"

    def applies_to(self, lao_type: str) -> bool:
        return not self.lao_types or lao_type in self.lao_types

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def display_section(self) -> str:
        return local_text(self, "section", "section_en")[0]

    @property
    def display_unit(self) -> str:
        return local_text(self, "unit", "unit_en")[0]


class Severity(models.TextChoices):
    ERROR = "error", _("ข้อผิดพลาด")
    WARNING = "warning", _("คำเตือน")


class ValidationRule(LocalName, models.Model):
    """`left op right` over item codes of one fiscal year; an error blocks submission, a warning asks."""

    name_th_field, name_en_field = "message_th", "message_en"

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="rules")
    expression = models.CharField(_("เงื่อนไข"), max_length=500,
                                  help_text=_("เช่น gov_population_male + gov_population_female = gov_population_total"))
    severity = models.CharField(_("ระดับ"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    message_th = models.CharField(_("ข้อความแจ้ง"), max_length=300)
    message_en = models.CharField(_("ข้อความแจ้งภาษาอังกฤษ"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("กฎตรวจสอบข้อมูล")
        verbose_name_plural = _("กฎตรวจสอบข้อมูล")

    def __str__(self) -> str:
        return self.expression


# Reports by LAO (in the registry's order), then by sector: for lists that show many LAOs' reports.
REPORT_ORDER = ("lao__province__code", "lao__district__code", "lao__name_th", "lao_id", "sector__order")


class SectorReport(models.Model):
    """One LAO's data of one sector in one fiscal year: the unit of work and of status."""

    lao = models.ForeignKey(LAO, on_delete=models.PROTECT, related_name="reports")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="reports")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("สถานะ"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    version = models.PositiveIntegerField(_("รุ่น"), default=0, help_text=_("เพิ่มขึ้นทุกครั้งที่บันทึก"))
    unchanged_confirmed = models.BooleanField(_("ยืนยันว่าไม่เปลี่ยนแปลงจากปีก่อน"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("รายงานข้อมูลรายด้าน")
        verbose_name_plural = _("รายงานข้อมูลรายด้าน")
        constraints = [
            models.UniqueConstraint(fields=["lao", "sector", "fiscal_year"], name="one_report_per_lao_sector_year"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "status"])]

    def __str__(self) -> str:
        return f"{self.lao} · {self.sector} · {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("sectors:report", args=[self.lao_id, self.fiscal_year.be_year, self.sector.code])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_returned(self) -> bool:
        """Sent back to its recorder, waiting to be fixed."""
        return self.status == ReportStatus.RETURNED

    @property
    def is_certified(self) -> bool:
        return self.status == ReportStatus.CERTIFIED

    @property
    def pending_step(self) -> Step | None:
        """The step the report waits for (sectors.workflow), None once it is certified."""
        return pending_step(self.status)


class IndicatorValue(models.Model):
    """A typed value of one item in one report; 'not applicable' is kept apart from zero and missing."""

    report = models.ForeignKey(SectorReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value_integer = models.BigIntegerField(null=True, blank=True)
    value_decimal = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    value_text = models.TextField(blank=True, default="")
    value_bool = models.BooleanField(null=True, blank=True)
    not_applicable = models.BooleanField(_("ไม่เกี่ยวข้อง"), default=False)
    carried_forward = models.BooleanField(_("ยกมาจากปีก่อน"), default=False)
    change_reason = models.TextField(_("เหตุผลที่เปลี่ยนแปลงมาก"), blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ค่าข้อมูล")
        verbose_name_plural = _("ค่าข้อมูล")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_report_item"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} = {self.display}"

    @property
    def value(self):
        """The typed value, None when missing (and when not applicable)."""
        if self.not_applicable:
            return None
        kind = self.indicator.kind
        if kind == IndicatorKind.INTEGER:
            return self.value_integer
        if kind == IndicatorKind.DECIMAL:
            return self.value_decimal
        if kind == IndicatorKind.YES_NO:
            return self.value_bool
        return self.value_text or None

    @property
    def display(self) -> str:
        if self.not_applicable:
            return gettext("ไม่เกี่ยวข้อง")
        value = self.value
        if value is None:
            return ""
        if isinstance(value, bool):
            return gettext("มี") if value else gettext("ไม่มี")
        return str(value)


class Channel(models.TextChoices):
    FORM = "form", _("แบบฟอร์ม")
    EXCEL = "excel", _("ไฟล์ Excel")
    ADMIN = "admin", _("ผู้ดูแลระบบ")
    API = "api", _("API")
    CARRY_FORWARD = "carry_forward", _("ยกมาจากปีก่อน")


class ValueChange(models.Model):
    """Every change of a value: old, new, who, when and through which channel."""

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="changes")
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("ประวัติการแก้ไขค่า")
        verbose_name_plural = _("ประวัติการแก้ไขค่า")

    def __str__(self) -> str:
        return f"{self.value.indicator.code}: {self.old} → {self.new}"


"""The administrative geography of Thailand (DOPA codes) and the registry of LAOs."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from info_portal.names import LocalName


class Province(LocalName, models.Model):
    code = models.CharField(_("รหัสจังหวัด"), max_length=2, unique=True)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=100)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("จังหวัด")
        verbose_name_plural = _("จังหวัด")
        permissions = [
            ("oversee_province", _("ดูแลจังหวัด (ท้องถิ่นจังหวัด)")),
            ("oversee_nation", _("ดูแลทั้งประเทศ (กรมส่งเสริมการปกครองท้องถิ่น)")),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("organizations:province", args=[self.code])


class District(LocalName, models.Model):
    code = models.CharField(_("รหัสอำเภอ"), max_length=4, unique=True)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=100)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["code"]
        verbose_name = _("อำเภอ")
        verbose_name_plural = _("อำเภอ")
        permissions = [("oversee_district", _("ดูแลอำเภอ (ท้องถิ่นอำเภอ)"))]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("organizations:district", args=[self.code])


class Subdistrict(LocalName, models.Model):
    code = models.CharField(_("รหัสตำบล"), max_length=6, unique=True)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=100)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=100)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")

    class Meta:
        ordering = ["code"]
        verbose_name = _("ตำบล")
        verbose_name_plural = _("ตำบล")

    def __str__(self) -> str:
        return self.display_name


class LAOType(models.TextChoices):
    PAO = "pao", _("องค์การบริหารส่วนจังหวัด")
    CITY = "city", _("เทศบาลนคร")
    TOWN = "town", _("เทศบาลเมือง")
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("เทศบาลตำบล")
    SAO = "sao", _("องค์การบริหารส่วนตำบล")
    SPECIAL = "special", _("องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ")


# The leading digit of DLA's 7-digit code `T AAAA NN` for each type; the special LAOs have none.
DLA_CODE_TYPE_DIGIT = {
    LAOType.PAO: "2",
    LAOType.CITY: "3",
    LAOType.TOWN: "4",
    LAOType.SUBDISTRICT_MUNICIPALITY: "5",
    LAOType.SAO: "6",
}
DLA_CODE_PATTERN = re.compile(r"^[2-6]\d{6}$")


def validate_dla_code(value: str) -> None:
    if not DLA_CODE_PATTERN.match(value or ""):
        raise ValidationError(
            _("รหัส อปท. ต้องเป็นตัวเลข 7 หลัก ขึ้นต้นด้วย 2–6 (ประเภท) ตามด้วยรหัสอำเภอ 4 หลัก และลำดับ 2 หลัก"),
            code="dla_code_format",
        )


# The registry's order, by place: lists, pages and exports ask for it with `.order_by(*LAO_ORDER)`. It crosses to the
# province and district, so it is not the model's default ordering (which every query would have to join for).
LAO_ORDER = ("province__code", "district__code", "name_th", "pk")


class LAO(LocalName, models.Model):
    """A Local Administrative Organization (อปท.): the unit that records and certifies data."""

    lao_type = models.CharField(_("ประเภท"), max_length=32, choices=LAOType.choices)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=200)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=200, blank=True)
    dla_code = models.CharField(
        _("รหัส อปท. (7 หลัก)"), max_length=7, unique=True, null=True, blank=True, validators=[validate_dla_code]
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="laos")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="laos", null=True, blank=True,
        help_text=_("ไม่ต้องระบุสำหรับองค์การบริหารส่วนจังหวัด"),
    )
    subdistricts = models.ManyToManyField(Subdistrict, related_name="laos", blank=True, verbose_name=_("ตำบลในเขต"))
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    is_demo = models.BooleanField(_("ข้อมูลสาธิต"), default=False)

    class Meta:
        ordering = ["name_th", "pk"]
        verbose_name = _("องค์กรปกครองส่วนท้องถิ่น")
        verbose_name_plural = _("องค์กรปกครองส่วนท้องถิ่น")
        permissions = [
            ("record_lao", _("บันทึกข้อมูลของ อปท.")),
            ("verify_lao", _("ตรวจสอบข้อมูลของ อปท.")),
            ("certify_lao", _("รับรองข้อมูลของ อปท.")),
        ]
        indexes = [models.Index(fields=["province", "district", "lao_type"])]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        if self.dla_code == "":
            self.dla_code = None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organizations:lao", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.lao_type == LAOType.PAO and self.district_id:
            errors["district"] = _("องค์การบริหารส่วนจังหวัดขึ้นกับจังหวัดโดยตรง ไม่ต้องระบุอำเภอ")
        if self.lao_type not in (LAOType.PAO, LAOType.SPECIAL, "") and not self.district_id:
            errors["district"] = _("ต้องระบุอำเภอสำหรับ อปท. ประเภทนี้")
        if self.district_id and self.province_id and self.district.province_id != self.province_id:
            errors["district"] = _("อำเภอไม่อยู่ในจังหวัดที่ระบุ")
        if self.dla_code and not errors:
            errors.update(self._dla_code_errors())
        if errors:
            raise ValidationError(errors)

    def _dla_code_errors(self) -> dict[str, str]:
        """The code's type digit and district part must agree with the LAO's type and place."""
        if not DLA_CODE_PATTERN.match(self.dla_code):
            return {}
        expected_digit = DLA_CODE_TYPE_DIGIT.get(self.lao_type)
        if expected_digit is None:
            return {"dla_code": _("อปท. รูปแบบพิเศษไม่มีรหัส 7 หลัก")}
        if self.dla_code[0] != expected_digit:
            return {"dla_code": _("หลักแรกของรหัสต้องเป็น %(digit)s สำหรับ %(type)s")
                    % {"digit": expected_digit, "type": self.get_lao_type_display()}}
        area = self.dla_code[1:5]
        if self.district_id and area != self.district.code:
            return {"dla_code": _("รหัสอำเภอในรหัส อปท. (%(area)s) ไม่ตรงกับอำเภอ %(district)s (%(code)s)")
                    % {"area": area, "district": self.district.name_th, "code": self.district.code}}
        if self.lao_type == LAOType.PAO and self.province_id and area[:2] != self.province.code:
            return {"dla_code": _("รหัส อปท. ต้องอยู่ในจังหวัด %(province)s") % {"province": self.province.name_th}}
        return {}

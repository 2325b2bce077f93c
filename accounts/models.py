"""Portal accounts and their role grants (django-guardian object permissions on org units)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from organizations.models import LAO, District, Province


def _languages() -> list[tuple[str, str]]:
    return settings.LANGUAGES


class User(AbstractUser):
    first_name = None
    last_name = None
    full_name = models.CharField(_("ชื่อ-นามสกุล"), max_length=200)
    position = models.CharField(_("ตำแหน่ง"), max_length=200, blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=40, blank=True)
    must_change_password = models.BooleanField(
        _("ต้องเปลี่ยนรหัสผ่าน"), default=False,
        help_text=_("ผู้ดูแลระบบตั้งรหัสผ่านให้ ผู้ใช้ต้องเปลี่ยนเมื่อเข้าสู่ระบบครั้งถัดไป"),
    )
    is_demo = models.BooleanField(_("บัญชีสาธิต"), default=False)
    # The language the user last chose in the menu: the portal's messages and e-mails to them are written in it.
    language = models.CharField(_("ภาษา"), max_length=8, choices=_languages, default="th")
    # How many invitations were sent: each new one (and each suspension) voids the links sent before it.
    invitation_round = models.PositiveIntegerField(_("ครั้งที่ส่งคำเชิญ"), default=0, editable=False)
    created_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("สร้างโดย")
    )

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("ผู้ใช้")
        verbose_name_plural = _("ผู้ใช้")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name or self.username


# Direct foreign-key permission tables: one row per (user, permission, org unit), joined without
# the generic object_pk cast, so "which LAOs may this user record" is one indexed join.
class LAOUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(LAO, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("สิทธิ์ใน อปท.")
        verbose_name_plural = _("สิทธิ์ใน อปท.")


class DistrictUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(District, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("สิทธิ์ในอำเภอ")
        verbose_name_plural = _("สิทธิ์ในอำเภอ")


class ProvinceUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("สิทธิ์ในจังหวัด")
        verbose_name_plural = _("สิทธิ์ในจังหวัด")


class AccountAction(models.TextChoices):
    CREATED = "created", _("สร้างบัญชี")
    UPDATED = "updated", _("แก้ไขข้อมูลผู้ใช้")
    ROLE_GRANTED = "role_granted", _("เพิ่มบทบาท")
    ROLE_REVOKED = "role_revoked", _("เพิกถอนบทบาท")
    INVITED = "invited", _("ส่งคำเชิญ")
    PASSWORD_SET = "password_set", _("ตั้งรหัสผ่านชั่วคราว")
    PASSWORD_CHANGED = "password_changed", _("ผู้ใช้ตั้งรหัสผ่านเอง")
    DEACTIVATED = "deactivated", _("ระงับการใช้งาน")
    ACTIVATED = "activated", _("เปิดใช้งานอีกครั้ง")
    SECOND_FACTOR_ON = "second_factor_on", _("เปิดการยืนยันตัวตนสองขั้นตอน")
    SECOND_FACTOR_OFF = "second_factor_off", _("ปิดการยืนยันตัวตนสองขั้นตอน")
    ACTING_APPOINTED = "acting_appointed", _("แต่งตั้งให้รักษาราชการแทน")
    ACTING_REVOKED = "acting_revoked", _("ยกเลิกการรักษาราชการแทน")


class AccountEvent(models.Model):
    """Every change of an account or of its roles: who did what, on which unit, when. Written by the account
    services in the transaction of the change, and never edited."""

    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_events",
                                verbose_name=_("บัญชี"))
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("ผู้ดำเนินการ"))
    action = models.CharField(_("รายการ"), max_length=20, choices=AccountAction.choices)
    role = models.CharField(_("บทบาท"), max_length=30, blank=True)
    # The unit of a role change, kept as a foreign key of its level so the account page can show each officer only
    # the changes within their own units.
    province = models.ForeignKey(Province, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    lao = models.ForeignKey(LAO, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    unit_label = models.CharField(_("หน่วยงาน"), max_length=300, blank=True)
    detail = models.CharField(_("รายละเอียด"), max_length=300, blank=True)
    at = models.DateTimeField(_("เมื่อ"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("ประวัติบัญชี")
        verbose_name_plural = _("ประวัติบัญชี")

    def __str__(self) -> str:
        return f"{self.account} · {self.get_action_display()}"


class ActingCapacity(models.TextChoices):
    ACTING = "acting", _("รักษาราชการแทน")
    ON_BEHALF = "on_behalf", _("ปฏิบัติราชการแทน")


class ActingAppointment(models.Model):
    """An order that lets an account certify for an LAO in place of its absent head, from one day to another
    (both included). Ended early by revocation from `revoked_on` on; never deleted. Only the policy reads it."""

    lao = models.ForeignKey(LAO, on_delete=models.PROTECT, related_name="acting_appointments",
                            verbose_name=_("อปท."))
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="acting_appointments",
                             verbose_name=_("ผู้รักษาราชการแทน"))
    capacity = models.CharField(_("ฐานะ"), max_length=16, choices=ActingCapacity.choices)
    acting_for = models.CharField(_("ตำแหน่งที่รักษาราชการแทน"), max_length=200)
    order_ref = models.CharField(_("เลขที่คำสั่ง"), max_length=200)
    starts_on = models.DateField(_("ตั้งแต่วันที่"))
    ends_on = models.DateField(_("ถึงวันที่"))
    appointed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("แต่งตั้งโดย"))
    appointed_at = models.DateTimeField(_("บันทึกเมื่อ"), auto_now_add=True)
    # In force until the day before `revoked_on`: a revocation takes effect on the day it is made.
    revoked_on = models.DateField(_("ยกเลิกตั้งแต่วันที่"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("ยกเลิกโดย"))

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("การแต่งตั้งผู้รักษาราชการแทน")
        verbose_name_plural = _("การแต่งตั้งผู้รักษาราชการแทน")
        indexes = [models.Index(fields=["lao", "starts_on", "ends_on"]),
                   models.Index(fields=["user", "starts_on", "ends_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="acting_appointment_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_capacity_display()} {self.acting_for}"

    def in_force_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on and (self.revoked_on is None or day < self.revoked_on)

    @property
    def last_day(self):
        """The last day it is in force: its end, or the day before its revocation."""
        if self.revoked_on is not None and self.revoked_on <= self.ends_on:
            return max(self.starts_on, self.revoked_on - timedelta(days=1))
        return self.ends_on

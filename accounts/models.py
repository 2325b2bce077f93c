"""Portal accounts and their role grants (django-guardian object permissions on org units)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from organizations.models import LAO, District, Province


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

"""Keys of the agencies that read certified data through the API, and the log of what each key read."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from organizations.models import Province


class AgencyKey(AbstractAPIKey):
    """An agency's key: national (no province) or limited to one province. Only a hash of the key is stored."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("จังหวัด"), help_text=_("เว้นว่างไว้ = ทั้งประเทศ"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("กุญแจ API")
        verbose_name_plural = _("กุญแจ API")

    @property
    def scope_label(self) -> str:
        return self.province.name_th if self.province_id else str(_("ทั้งประเทศ"))

    @property
    def is_usable(self) -> bool:
        return not self.revoked and not self.has_expired


class ApiUsage(models.Model):
    """One request made with a key: which resource, how many rows it served, when and with what status."""

    key = models.ForeignKey(AgencyKey, on_delete=models.CASCADE, related_name="usage")
    resource = models.CharField(_("ทรัพยากร"), max_length=60)
    count = models.PositiveIntegerField(_("จำนวนแถว"), default=0)
    status = models.PositiveSmallIntegerField(_("รหัสผล"))
    at = models.DateTimeField(_("เมื่อ"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("การใช้งาน API")
        verbose_name_plural = _("การใช้งาน API")
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self) -> str:
        return f"{self.key} · {self.resource} · {self.at:%Y-%m-%d %H:%M}"

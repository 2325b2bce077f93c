"""Which sectors' certified aggregates the department publishes as open data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sectors.models import Sector

# In the sectors' order.
PUBLIC_SECTOR_ORDER = ("sector__order",)


class PublicSector(models.Model):
    sector = models.OneToOneField(Sector, on_delete=models.CASCADE, related_name="+", verbose_name=_("ด้าน"))
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        verbose_name = _("ด้านที่เผยแพร่เป็นข้อมูลเปิด")
        verbose_name_plural = _("ด้านที่เผยแพร่เป็นข้อมูลเปิด")

    def __str__(self) -> str:
        return str(self.sector)

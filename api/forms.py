from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Province

MAX_DAYS = 3 * 365


class KeyCreateForm(forms.Form):
    name = forms.CharField(label=_("หน่วยงานผู้ใช้กุญแจ"), max_length=50,
                           error_messages={"required": _("กรุณาระบุชื่อหน่วยงาน"),
                                           "max_length": _("ชื่อหน่วยงานยาวได้ไม่เกิน 50 ตัวอักษร")})
    province = forms.ModelChoiceField(label=_("ขอบเขต"), queryset=Province.objects.order_by("code"), required=False,
                                      empty_label=_("ทั้งประเทศ"),
                                      error_messages={"invalid_choice": _("ไม่พบจังหวัดที่เลือก")})
    days = forms.IntegerField(label=_("อายุกุญแจ (วัน)"), min_value=1, max_value=MAX_DAYS, required=False,
                              help_text=_("เว้นว่างไว้ = ไม่หมดอายุ"),
                              error_messages={"min_value": _("อายุกุญแจต้องอย่างน้อย 1 วัน"),
                                              "max_value": _("อายุกุญแจต้องไม่เกิน %(limit_value)s วัน"),
                                              "invalid": _("กรุณากรอกจำนวนวันเป็นตัวเลข")})

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("กรุณาระบุชื่อหน่วยงาน"))
        return name

    @property
    def expires_at(self):
        days = self.cleaned_data.get("days")
        return timezone.now() + timedelta(days=days) if days else None

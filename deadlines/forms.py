"""Forms of the round page, the internal deadline page and the chase page; the rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deadlines.models import DEFAULT_OVERDUE_EVERY, DEFAULT_STAGES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundForm(forms.Form):
    opens_on = forms.DateField(label=_("เปิดให้บันทึกตั้งแต่"), widget=DateInput())
    record_by = forms.DateField(label=_("บันทึกให้แล้วเสร็จภายใน"), widget=DateInput())
    certify_by = forms.DateField(label=_("รับรองให้แล้วเสร็จภายใน"), widget=DateInput())
    closes_on = forms.DateField(label=_("ปิดรอบ"), required=False, widget=DateInput(),
                                help_text=_("หลังวันนี้ไม่มีการแจ้งเตือนอีก; เว้นว่าง = สิ้นปีงบประมาณ "
                                            "หรือ 30 วันหลังกำหนดรับรองหากช้ากว่า"))
    reminder_stages = forms.CharField(
        label=_("แจ้งเตือนก่อนกำหนด (วัน)"), required=False, initial=", ".join(map(str, DEFAULT_STAGES)),
        help_text=_("คั่นด้วยจุลภาค เช่น 14, 7, 3, 1, 0 (0 = วันครบกำหนด)"))
    overdue_every_days = forms.IntegerField(label=_("เตือนซ้ำเมื่อเลยกำหนดทุก (วัน)"), min_value=0, max_value=30,
                                            initial=DEFAULT_OVERDUE_EVERY, help_text=_("0 = ไม่เตือนซ้ำ"))

    def clean_reminder_stages(self) -> list[int]:
        text = self.cleaned_data["reminder_stages"].replace(" ", "")
        if not text:
            return []
        try:
            days = sorted({int(part) for part in text.split(",") if part}, reverse=True)
        except ValueError as error:
            raise ValidationError(_("ระบุเป็นตัวเลขจำนวนวันคั่นด้วยจุลภาค เช่น 14, 7, 3, 1, 0")) from error
        if any(not 0 <= day <= 90 for day in days):
            raise ValidationError(_("จำนวนวันต้องอยู่ระหว่าง 0–90"))
        return days


class LevelDeadlineForm(forms.Form):
    record_by = forms.DateField(label=_("บันทึกให้แล้วเสร็จภายใน"), widget=DateInput())
    certify_by = forms.DateField(label=_("รับรองให้แล้วเสร็จภายใน"), widget=DateInput())


class ExtensionForm(forms.Form):
    target = forms.ChoiceField(label=_("ขยายเวลาให้"))
    certify_by = forms.DateField(label=_("ขยายเวลารับรองถึง"), widget=DateInput())
    reason = forms.CharField(label=_("เหตุผล"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets: list[tuple[str, list[tuple[str, str]]]], **kwargs):
        """`targets`: groups of (value, label), values `district:<id>` or `lao:<id>`."""
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets


class ChaseForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("ข้อความถึง อปท. (ถ้ามี)"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))

"""The forms of the workflow steps. They only read what was typed; the services decide whether a step may be taken."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.services import MAX_COMMENT
from sectors.models import Indicator

_TOO_LONG = {"max_length": _("ข้อความยาวได้ไม่เกิน 2,000 ตัวอักษร")}


def _comment(label, *, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=MAX_COMMENT, error_messages=_TOO_LONG,
                           widget=forms.Textarea(attrs={"rows": rows}))


class _StepForm(forms.Form):
    """Several steps share a page: each form's ids carry its step, so that no two inputs share one."""

    step = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.step}_%s" if self.step else "id_%s")
        super().__init__(*args, **kwargs)


class SubmitForm(forms.Form):
    """The recorder sends the stored values for checking."""

    comment = _comment(_("หมายเหตุถึงผู้ตรวจสอบ (ถ้ามี)"), rows=2)
    confirm_warnings = forms.BooleanField(label=_("ยืนยันว่าตรวจดูแล้ว"), required=False)


class VerifyForm(_StepForm):
    step = "verify"
    comment = _comment(_("ความเห็นของผู้ตรวจสอบ (ถ้ามี)"), rows=2)


class CertifyForm(_StepForm):
    """The LAO head certifies; the declaration must be ticked."""

    step = "certify"
    comment = _comment(_("ความเห็น (ถ้ามี)"), rows=2)
    confirm = forms.BooleanField(label=_("ข้าพเจ้าได้ตรวจสอบและรับรองความถูกต้องของข้อมูล"),
                                 error_messages={"required": _("กรุณาทำเครื่องหมายยืนยันก่อนรับรองข้อมูล")})


class CertifyAllForm(CertifyForm):
    """The summary's reports: only those the head saw are certified."""

    reports = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput,
                                             error_messages={"required": _("ไม่มีด้านที่รอรับรอง")})

    def __init__(self, data=None, *, report_ids: list[int], **kwargs):
        super().__init__(data, initial={"reports": report_ids}, **kwargs)
        self.fields["reports"].choices = [(pk, pk) for pk in report_ids]
        self.fields["reports"].error_messages["invalid_choice"] = _(
            "รายการด้านที่รอรับรองเปลี่ยนไปแล้ว กรุณาตรวจดูสรุปอีกครั้ง")


class ReturnForm(_StepForm):
    """An overall comment and an optional reason beside each item; the service asks for at least one of them."""

    step = "return"
    comment = _comment(_("เหตุผลที่ส่งกลับแก้ไข (ภาพรวม)"))

    def __init__(self, data=None, *, indicators: list[Indicator], **kwargs):
        super().__init__(data, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            label = _("เหตุผลที่ส่งกลับ: %(item)s") % {"item": indicator.label_th}
            self.fields[self.reason_name(indicator.code)] = forms.CharField(
                label=label, required=False, max_length=MAX_COMMENT, error_messages=_TOO_LONG,
                widget=forms.Textarea(attrs={"rows": 2, "aria-label": label}))

    @staticmethod
    def reason_name(code: str) -> str:
        return f"reason-{code}"

    def reason_field(self, code: str) -> forms.BoundField:
        return self[self.reason_name(code)]

    def field_reasons(self) -> dict[str, str]:
        return {indicator.code: text for indicator in self.indicators
                if (text := self.cleaned_data.get(self.reason_name(indicator.code), "").strip())}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("เหตุผลที่เปิดแก้ไขข้อมูล"), max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("เหตุผลจะถูกบันทึกไว้ในประวัติของรายงาน และแจ้งให้ผู้บันทึก ผู้ตรวจสอบ "
                               "และผู้รับรองข้อมูลของ อปท. ทราบ (ไม่เกิน 2,000 ตัวอักษร)"),
        error_messages={"required": _("กรุณาระบุเหตุผลที่เปิดแก้ไขข้อมูลที่รับรองแล้ว"),
                        "max_length": _("เหตุผลยาวได้ไม่เกิน 2,000 ตัวอักษร")},
    )


class QueueFilterForm(forms.Form):
    """The filters of งานที่รอฉัน, from the query string: which list, which of the user's LAOs, which year."""

    STEPS = {
        "verify": _("รอตรวจสอบ"), "certify": _("รอรับรอง"), "record": _("รอแก้ไขและส่งตรวจสอบ"),
        "returned": _("ส่งกลับแก้ไข"), "draft": _("กำลังบันทึก"),
        "sent_verify": _("ที่ฉันส่งกลับจากการตรวจสอบ"), "sent_certify": _("ที่ฉันส่งกลับจากการรับรอง"),
    }
    step = forms.ChoiceField(label=_("รายการงาน"), required=False,
                             error_messages={"invalid_choice": _("ไม่มีรายการงานชื่อนี้")})
    lao = forms.TypedChoiceField(label=_("อปท."), coerce=int, required=False, empty_value=None,
                                 error_messages={"invalid_choice": _("ไม่พบ อปท. นี้ในรายการ อปท. ของคุณ")})
    year = forms.TypedChoiceField(label=_("ปีงบประมาณ"), coerce=int, required=False, empty_value=None,
                                  error_messages={"invalid_choice": _("ไม่มีปีงบประมาณนี้")})

    def __init__(self, data=None, *, laos: list[tuple[int, str]], years: list[int], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["step"].choices = [("", _("ทั้งหมด")), *self.STEPS.items()]
        self.fields["lao"].choices = [("", _("ทุก อปท.")), *laos]
        self.fields["year"].choices = [("", _("ทุกปี")), *((year, str(year)) for year in years)]

    @property
    def filters(self) -> dict:
        """The valid filters; none while any is invalid, so a bad link shows every list and says why."""
        if not self.is_bound or not self.is_valid():
            return {"step": "", "lao": None, "year": None}
        return self.cleaned_data

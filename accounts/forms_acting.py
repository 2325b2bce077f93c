"""The form a manager of an LAO appoints its acting head with; the rules live in accounts.acting."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.acting import default_acting_for
from accounts.models import ActingCapacity, User
from accounts.policy import Action
from organizations.models import LAO


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActingAppointmentForm(forms.Form):
    username = forms.CharField(label=_("ชื่อผู้ใช้ของผู้รักษาราชการแทน"), max_length=150)
    capacity = forms.ChoiceField(label=_("ฐานะ"), choices=ActingCapacity.choices, widget=forms.RadioSelect,
                                 initial=ActingCapacity.ACTING)
    acting_for = forms.CharField(label=_("ตำแหน่งที่รักษาราชการแทน"), max_length=200)
    order_ref = forms.CharField(label=_("เลขที่คำสั่ง"), max_length=200,
                                help_text=_("เช่น คำสั่งอำเภอด่านขุนทด ที่ 123/2568"),
                                error_messages={"required": _("กรุณาระบุเลขที่คำสั่งแต่งตั้ง")})
    starts_on = forms.DateField(label=_("ตั้งแต่วันที่"), widget=DateInput())
    ends_on = forms.DateField(label=_("ถึงวันที่ (นับรวมวันนั้นด้วย)"), widget=DateInput())

    def __init__(self, *args, candidates: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates

    def clean_username(self) -> User:
        """An account the manager's pages reach: one holding a role in their units, or one they created."""
        user = self.candidates.filter(username=self.cleaned_data["username"].strip().lower()).first()
        if user is None:
            raise ValidationError(_("ไม่พบผู้ใช้ชื่อนี้ในหน่วยงานที่คุณดูแล"))
        return user

    def add_refusal(self, refusal: ValidationError) -> None:
        """The service's refusals, each on its field ("user" is the username's)."""
        for field, messages in refusal.message_dict.items():
            self.add_error("username" if field == "user" else field if field in self.fields else None, messages)


def appointment_form(user: User, lao: LAO, data=None) -> "ActingAppointmentForm | None":
    """The appointment form of the LAO's page, for its managers only."""
    if not policy.can(user, Action.MANAGE, lao):
        return None
    return ActingAppointmentForm(data, candidates=policy.users_managed_by(user),
                                 initial={"acting_for": default_acting_for(lao),
                                          "starts_on": timezone.localdate()})

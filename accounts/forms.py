import re

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.models import User
from accounts.policy import Action, Role
from organizations.models import LAO, District, Province

# Lower-case Latin letters and digits, with . _ - inside: easy to type on a Thai keyboard's Latin
# layout and never confused by case (somchai and Somchai would be two accounts otherwise).
USERNAME_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{1,62})[a-z0-9]$")

# How a role's unit is written in a form or a spreadsheet: the LAO's DLA code, a district or province
# code, or lao-<id> for the few LAOs that have no DLA code (Bangkok, Pattaya).
_UNIT_KEY_PATTERNS = {
    LAO: re.compile(r"^(?:(?P<dla_code>\d{7})|lao-(?P<pk>\d{1,12}))$"),
    District: re.compile(r"^(?P<code>\d{4})$"),
    Province: re.compile(r"^(?P<code>\d{2})$"),
}
_UNIT_KEY_HINTS = {
    LAO: _("รหัส อปท. 7 หลัก"),
    District: _("รหัสอำเภอ 4 หลัก"),
    Province: _("รหัสจังหวัด 2 หลัก"),
}


def unit_key(unit: Model | None) -> str:
    """The code a form or a spreadsheet uses for the unit of a role."""
    if unit is None:
        return ""
    if isinstance(unit, LAO):
        return unit.dla_code or f"lao-{unit.pk}"
    return unit.code


def unit_label(unit: Model | None, *, with_place: bool = False) -> str:
    """The unit as officers name it, with its code; an LAO's district or province too where names repeat."""
    if isinstance(unit, LAO):
        label = f"{unit.display_name} ({unit_key(unit)})"
        if with_place:
            place = unit_label(unit.district) if unit.district_id else unit_label(unit.province)
            label = f"{label} · {place}"
        return label
    if isinstance(unit, District):
        label = gettext("อำเภอ%(name)s (%(code)s)") % {"name": unit.display_name, "code": unit.code}
        return f"{label} · {unit_label(unit.province)}" if with_place else label
    if isinstance(unit, Province):
        return gettext("จังหวัด%(name)s (%(code)s)") % {"name": unit.display_name, "code": unit.code}
    return gettext("ทั้งประเทศ")


class UnitScope:
    """The org units an actor may give roles on, as the policy answers: choices for a select and code look-ups."""

    def __init__(self, actor: User):
        self.actor = actor
        self.is_department = policy.is_department(actor)
        self.grantable_roles = policy.roles_actor_may_grant(actor)
        self._resolved: dict[tuple, Model | ValidationError] = {}  # a spreadsheet names the same units again and again

    def laos(self):
        return policy.laos_for(self.actor, Action.MANAGE).select_related("district", "province")

    def districts(self):
        # A district's officer is appointed from its province (or by the department), never by a peer.
        overseen = policy.districts_managed(self.actor)
        return overseen.select_related("province")

    def provinces(self):
        return policy.provinces_overseen(self.actor) if self.is_department else Province.objects.none()

    def _managed(self, model: type[Model]):
        return {LAO: self.laos, District: self.districts, Province: self.provinces}[model]()

    def resolve(self, role: Role, key: str | None) -> Model | None:
        """The unit `key` names for `role`, if the actor may manage it; otherwise a ValidationError in Thai."""
        model = role.unit_model
        key = (key or "").strip().lower()
        if model is None:
            if key:
                raise ValidationError(gettext("บทบาท %(role)s เป็นบทบาทระดับประเทศ ไม่ต้องระบุหน่วยงาน")
                                      % {"role": role.label}, code="unit_not_needed")
            return None
        match = _UNIT_KEY_PATTERNS[model].match(key)
        if not key or match is None:
            raise ValidationError(gettext("บทบาท %(role)s ต้องระบุหน่วยงานเป็น%(hint)s")
                                  % {"role": role.label, "hint": _UNIT_KEY_HINTS[model]}, code="unit_format")
        if (model, key) not in self._resolved:
            self._resolved[model, key] = self._find(model, key, match)
        found = self._resolved[model, key]
        if isinstance(found, ValidationError):
            raise found
        return found

    def _find(self, model: type[Model], key: str, match: re.Match) -> Model | ValidationError:
        lookup = {field: value for field, value in match.groupdict().items() if value is not None}
        unit = self._managed(model).filter(**lookup).first()
        if unit is not None:
            return unit
        if model.objects.filter(**lookup).exists():
            return ValidationError(gettext("หน่วยงานรหัส %(key)s อยู่นอกขอบเขตที่คุณดูแล") % {"key": key},
                                   code="unit_out_of_scope")
        return ValidationError(gettext("ไม่พบหน่วยงานรหัส %(key)s") % {"key": key}, code="unit_not_found")

    def choices(self) -> list:
        """Grouped choices for a select: the districts, then the LAOs district by district."""
        groups = []
        districts = [(unit_key(d), unit_label(d)) for d in self.districts().order_by("code")]
        if districts:
            groups.append((gettext("อำเภอ (สำหรับท้องถิ่นอำเภอ)"), districts))
        by_place: dict[str, list] = {}
        for lao in self.laos().order_by("province__code", "district__code", "lao_type", "name_th"):
            place = unit_label(lao.district) if lao.district_id else gettext("ขึ้นตรงกับจังหวัด%(name)s") % {
                "name": lao.province.display_name}
            by_place.setdefault(place, []).append((unit_key(lao), unit_label(lao)))
        groups.extend(by_place.items())
        return groups

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        """Units in scope whose name or code matches, for the look-up beside a code input."""
        query = query.strip()[:100]
        if not query:
            return []
        laos = self.laos().filter(Q(name_th__icontains=query) | Q(dla_code__startswith=query)).order_by("dla_code")
        districts = self.districts().filter(Q(name_th__icontains=query) | Q(code__startswith=query))
        provinces = self.provinces().filter(Q(name_th__icontains=query) | Q(code__startswith=query))
        found = [*provinces.order_by("code")[:limit], *districts.order_by("code")[:limit], *laos[:limit]]
        return [(unit_key(unit), unit_label(unit, with_place=True)) for unit in found]


class GrantForm(forms.Form):
    """A role and its unit, both within what the actor may grant: for creating, adding and revoking."""

    role = forms.ChoiceField(label=_("บทบาท"), error_messages={"invalid_choice": _("คุณไม่มีสิทธิ์กำหนดบทบาทนี้")})
    unit = forms.CharField(label=_("หน่วยงาน"), required=False, max_length=20)

    def __init__(self, *args, actor: User, scope: UnitScope | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.scope = scope or UnitScope(actor)
        roles = [(role.value, role.label) for role in self.scope.grantable_roles]
        self.fields["role"].choices = [("", gettext("— เลือกบทบาท —")), *roles]
        unit = self.fields["unit"]
        if self.scope.is_department:
            # Thousands of LAOs are too many for a select: the department types a code, found with the look-up.
            unit.widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 12})
            unit.help_text = _("รหัส อปท. 7 หลัก สำหรับผู้บันทึก ผู้ตรวจสอบ และผู้รับรองข้อมูล รหัสอำเภอ 4 หลัก "
                               "สำหรับท้องถิ่นอำเภอ รหัสจังหวัด 2 หลัก สำหรับท้องถิ่นจังหวัด "
                               "เว้นว่างสำหรับบทบาทกรมส่งเสริมการปกครองท้องถิ่น")
        else:
            # A callable: the units are read only when the select is drawn, not when a spreadsheet row is checked.
            unit.widget = forms.Select(choices=lambda: [("", gettext("— เลือกหน่วยงาน —")), *self.scope.choices()])
            unit.help_text = (_("อปท. สำหรับผู้บันทึก ผู้ตรวจสอบ และผู้รับรองข้อมูล หรืออำเภอสำหรับท้องถิ่นอำเภอ")
                              if Role.DISTRICT_OFFICER in self.scope.grantable_roles
                              else _("อปท. ที่คุณดูแล สำหรับผู้บันทึก ผู้ตรวจสอบ และผู้รับรองข้อมูล"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role"):
            cleaned["role"] = Role(cleaned["role"])
            try:
                cleaned["unit"] = self.scope.resolve(cleaned["role"], cleaned.get("unit"))
            except ValidationError as error:
                self.add_error("unit", error)
        return cleaned


def _clean_username(value: str) -> str:
    username = value.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise ValidationError(
            _("ชื่อผู้ใช้ต้องยาว 3–64 ตัว ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก a–z ตัวเลข จุด ขีดกลาง และขีดล่าง "
              "และขึ้นต้นและลงท้ายด้วยอักษรหรือตัวเลข"), code="username_format")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("ชื่อผู้ใช้ %(username)s มีผู้ใช้แล้ว กรุณาเลือกชื่ออื่น"),
                              code="username_taken", params={"username": username})
    return username


class AccountCreateForm(GrantForm):
    """A new account with its first role; the owner sets the password from the e-mailed invitation."""

    username = forms.CharField(label=_("ชื่อผู้ใช้"), max_length=150,
                               help_text=_("อักษรอังกฤษตัวเล็ก ตัวเลข จุด ขีดกลาง หรือขีดล่าง เช่น somchai.k"))
    full_name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=200)
    position = forms.CharField(label=_("ตำแหน่ง"), max_length=200, required=False)
    email = forms.EmailField(label=_("อีเมล"), help_text=_("ระบบส่งลิงก์ตั้งรหัสผ่านไปที่อีเมลนี้"))
    phone = forms.CharField(label=_("โทรศัพท์"), max_length=40, required=False)

    field_order = ["username", "full_name", "position", "email", "phone", "role", "unit"]

    def clean_username(self) -> str:
        return _clean_username(self.cleaned_data["username"])


class AccountUpdateForm(forms.ModelForm):
    email = forms.EmailField(label=_("อีเมล"))

    class Meta:
        model = User
        fields = ["full_name", "position", "email", "phone"]


class TemporaryPasswordForm(auth_forms.SetPasswordForm):
    """A password an officer sets for someone else; its owner must replace it at the next login."""


class BulkUploadForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์ Excel (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"),
        "inactive": _("บัญชีนี้ถูกระงับการใช้งาน"),
        "demo_refused": _("บัญชีสาธิตใช้ได้เฉพาะในระบบทดลอง (DEBUG) เท่านั้น"),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and not settings.DEBUG and User.objects.filter(username=username, is_demo=True).exists():
            raise forms.ValidationError(self.error_messages["demo_refused"], code="demo_refused")
        return super().clean()


class OwnPasswordChangeForm(auth_forms.PasswordChangeForm):
    """Changing one's own password; also the forced change after an administrator set it."""


class InvitationPasswordForm(auth_forms.SetPasswordForm):
    """Setting the first password from an invitation link."""


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("รหัสยืนยันตัวตน"), max_length=20, strip=True,
        help_text=_("รหัส 6 หลักจากแอปยืนยันตัวตน หรือรหัสกู้คืน 10 หลัก"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": _("กรุณากรอกรหัสยืนยันตัวตน")},
    )

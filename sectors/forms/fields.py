"""The field of one catalogue item: numbers typed the way Thai offices type them, yes/no, choices and text."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from info_portal.names import is_english
from sectors.formatting import format_number, normalize_number
from sectors.forms.widgets import RadioSelect, Select, TextInput
from sectors.models import Indicator, IndicatorKind

TEXT_MAX_LENGTH = 2000
NUMBER_MAX_LENGTH = 60
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
DECIMAL_PLACES = 4
# IndicatorValue.value_decimal holds 20 digits, 4 after the point; SQLite keeps it as a double, exact to 15
# significant digits only (and a 16-digit value read back can round past the column and fail): 15 digits it is.
DECIMAL_DIGITS = 15
DECIMAL_LIMIT = Decimal(10) ** DECIMAL_DIGITS
YES, NO = "yes", "no"

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


class NumberItemField(forms.CharField):
    """A number typed with or without thousands separators, in Arabic or Thai digits, within the item's range."""

    pattern = _DECIMAL
    widget = TextInput
    default_error_messages = {
        "invalid": _("กรุณากรอกเป็นตัวเลข"),
        "places": _("ทศนิยมได้ไม่เกิน 4 ตำแหน่ง"),
        "too_large": _("ตัวเลขต้องอยู่ระหว่าง -999,999,999,999,999 ถึง 999,999,999,999,999 "
                       "และยาวได้ไม่เกิน 15 หลักรวมทศนิยม"),
        "min_value": _("ต้องไม่น้อยกว่า %(limit)s"),
        "max_value": _("ต้องไม่เกิน %(limit)s"),
    }

    def __init__(self, *, min_value: Decimal | None, max_value: Decimal | None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return format_number(value)
        return value

    def to_python(self, value: Any) -> int | Decimal | None:
        text = normalize_number(super().to_python(value))
        if not text:
            return None
        if len(text) > NUMBER_MAX_LENGTH or not self.pattern.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return self.convert(text)

    def convert(self, text: str) -> int | Decimal:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number.normalize().as_tuple().exponent < -DECIMAL_PLACES:
            raise ValidationError(self.error_messages["places"], code="places")
        if abs(number) >= DECIMAL_LIMIT or len(number.normalize().as_tuple().digits) > DECIMAL_DIGITS:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return number

    def validate(self, value: int | Decimal | None) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(self.error_messages["min_value"], code="min_value",
                                  params={"limit": format_number(self.min_value)})
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(self.error_messages["max_value"], code="max_value",
                                  params={"limit": format_number(self.max_value)})

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off", "data-number": "",
                "maxlength": str(NUMBER_MAX_LENGTH)}


class DecimalItemField(NumberItemField):
    """Up to four places after the point."""


class IntegerItemField(NumberItemField):
    pattern = _INTEGER
    default_error_messages = {
        "invalid": _("กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
        "too_large": _("จำนวนเต็มต้องอยู่ระหว่าง -9,223,372,036,854,775,808 ถึง 9,223,372,036,854,775,807"),
    }

    def convert(self, text: str) -> int:
        number = int(text)
        if not BIGINT_MIN <= number <= BIGINT_MAX:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return number

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        return {**super().widget_attrs(widget), "inputmode": "numeric"}


def item_field(indicator: Indicator) -> forms.Field:
    kind = indicator.kind
    if kind == IndicatorKind.INTEGER:
        return IntegerItemField(min_value=indicator.min_value, max_value=indicator.max_value)
    if kind == IndicatorKind.DECIMAL:
        return DecimalItemField(min_value=indicator.min_value, max_value=indicator.max_value)
    if kind == IndicatorKind.YES_NO:
        return forms.ChoiceField(
            required=False, widget=RadioSelect,
            choices=[(YES, _("มี")), (NO, _("ไม่มี")), ("", _("ไม่ระบุ"))],
            error_messages={"invalid_choice": _("กรุณาเลือก มี หรือ ไม่มี")},
        )
    if kind == IndicatorKind.CHOICE:
        return forms.ChoiceField(
            required=False, widget=CatalogueChoices,
            choices=[("", _("— เลือก —")), *((c, c) for c in indicator.choices)],
            error_messages={"invalid_choice": _("กรุณาเลือกจากรายการ")},
        )
    return forms.CharField(
        required=False, max_length=TEXT_MAX_LENGTH, widget=TextInput,
        error_messages={"max_length": _("ข้อความยาวได้ไม่เกิน 2,000 ตัวอักษร")},
    )


class CatalogueChoices(Select):
    """The catalogue's choices are Thai data with no English: in English each is marked lang="th"."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value and is_english():
            option["attrs"]["lang"] = "th"
        return option


def initial_of(indicator: Indicator, typed: Any) -> Any:
    if indicator.kind == IndicatorKind.YES_NO and typed is not None:
        return YES if typed else NO
    return typed



"""The entry form of one sector report: a field per item of the catalogue, read back as typed values."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from sectors import values
from sectors.checks import CheckResult, Issue
from sectors.models import Indicator, IndicatorKind, IndicatorValue, Severity
from sectors.sums import with_sums
from sectors.values import NOT_APPLICABLE

TEXT_MAX_LENGTH = 2000
NUMBER_MAX_LENGTH = 60
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
DECIMAL_PLACES = 4
# IndicatorValue.value_decimal holds 20 digits, 4 after the point; SQLite keeps it as a double, exact to 15
# significant digits only (and a 16-digit value read back can round past the column and fail): 15 digits it is.
DECIMAL_DIGITS = 15
DECIMAL_LIMIT = Decimal(10) ** DECIMAL_DIGITS
YES, NO = "yes", "no"

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def normalize_number(text: str) -> str:
    """What the recorder typed, as plain digits: Thai digits to Arabic, thousands separators and spaces dropped."""
    return re.sub(r"[,\s\u00a0\u202f]", "", text.translate(_THAI_DIGITS))


def format_number(number: int | Decimal) -> str:
    """1234567 → 1,234,567; Decimal('1234.5000') → 1,234.5."""
    if isinstance(number, Decimal):
        return f"{number.normalize():,f}"
    return f"{number:,}"


def format_value(typed: Any) -> str:
    """A typed value as the pages show it."""
    if typed is None:
        return ""
    if typed == NOT_APPLICABLE:
        return str(_("ไม่เกี่ยวข้อง"))
    if isinstance(typed, bool):
        return str(_("มี") if typed else _("ไม่มี"))
    if isinstance(typed, int | Decimal):
        return format_number(typed)
    return str(typed)


class NumberItemField(forms.CharField):
    """A number typed with or without thousands separators, in Arabic or Thai digits, within the item's range."""

    pattern = _DECIMAL
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


def _item_field(indicator: Indicator) -> forms.Field:
    kind = indicator.kind
    if kind == IndicatorKind.INTEGER:
        return IntegerItemField(min_value=indicator.min_value, max_value=indicator.max_value)
    if kind == IndicatorKind.DECIMAL:
        return DecimalItemField(min_value=indicator.min_value, max_value=indicator.max_value)
    if kind == IndicatorKind.YES_NO:
        return forms.ChoiceField(
            required=False, widget=forms.RadioSelect,
            choices=[(YES, _("มี")), (NO, _("ไม่มี")), ("", _("ไม่ระบุ"))],
            error_messages={"invalid_choice": _("กรุณาเลือก มี หรือ ไม่มี")},
        )
    if kind == IndicatorKind.CHOICE:
        return forms.ChoiceField(
            required=False, choices=[("", _("— เลือก —")), *((c, c) for c in indicator.choices)],
            error_messages={"invalid_choice": _("กรุณาเลือกจากรายการ")},
        )
    return forms.CharField(
        required=False, max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": _("ข้อความยาวได้ไม่เกิน 2,000 ตัวอักษร")},
    )


def _initial(indicator: Indicator, typed: Any) -> Any:
    if indicator.kind == IndicatorKind.YES_NO and typed is not None:
        return YES if typed else NO
    return typed


@dataclass
class FormItem:
    """One item as the page shows it: its fields (when editable), last year's value, marks and issues."""

    indicator: Indicator
    value: BoundField
    not_applicable: BoundField
    reason: BoundField | None
    display: str = ""
    last_year: str = ""
    carried: bool = False
    stored_reason: str = ""
    issues: list[Issue] = field(default_factory=list)
    latest: str | None = None
    refreshed_input: str = ""  # after an htmx save: the input anew, when its stored form differs from what was typed
    sum_of: str = ""  # the labels of the parts, when the item is their sum and is computed

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def errors(self) -> list[str]:
        return list(self.value.errors) + list(self.not_applicable.errors) + \
            (list(self.reason.errors) if self.reason is not None else [])

    @property
    def has_error(self) -> bool:
        return bool(self.errors) or any(i.severity == Severity.ERROR for i in self.issues)

    @property
    def big_change(self) -> bool:
        return any(i.kind == "big_change" for i in self.issues)

    @property
    def show_reason(self) -> bool:
        """The reason box appears while a big change waits for one, and whenever one was given."""
        return self.reason is not None and (self.big_change or bool((self.reason.value() or "").strip()))


@dataclass
class FormSection:
    number: int
    name: str
    items: list[FormItem]

    @property
    def carried(self) -> list[FormItem]:
        return [item for item in self.items if item.carried]


@dataclass
class CheckWarning:
    issue: Issue
    label: str
    key: str
    confirmed: bool

    @property
    def needs_reason(self) -> bool:
        return self.issue.kind == "big_change"


@dataclass
class CheckSummary:
    """The outcome of the check before submission: errors block, each warning needs a confirmation or a reason."""

    errors: list[tuple[str, Issue]]
    warnings: list[CheckWarning]

    @property
    def ready(self) -> bool:
        return not self.errors and all(w.confirmed and not w.needs_reason for w in self.warnings)


class ReportForm(forms.Form):
    """Every item of a report: value, "not applicable" box and, for numbers, the reason for a big change."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput,
                                 error_messages={"required": _("แบบฟอร์มไม่สมบูรณ์ กรุณาเปิดหน้านี้ใหม่"),
                                                 "invalid": _("แบบฟอร์มไม่สมบูรณ์ กรุณาเปิดหน้านี้ใหม่")})

    def __init__(self, data: Mapping[str, Any] | None = None, *, indicators: list[Indicator],
                 rows: Mapping[str, IndicatorValue], version: int, check_url: str = "",
                 sums: Mapping[str, tuple[str, ...]] | None = None):
        self.indicators = indicators
        self.rows = rows
        codes = {indicator.code for indicator in indicators}
        # Totals computed from their parts (sectors/sums.py): only where every part is an item of this form.
        self.sums = {total: parts for total, parts in (sums or {}).items()
                     if total in codes and set(parts) <= codes}
        initial: dict[str, Any] = {"version": version}
        for indicator in indicators:
            row = rows.get(indicator.code)
            if row is None:
                continue
            typed = values.read(row)
            initial[indicator.code] = None if typed == NOT_APPLICABLE else _initial(indicator, typed)
            initial[self.na_name(indicator.code)] = typed == NOT_APPLICABLE
            initial[self.reason_name(indicator.code)] = row.change_reason
        super().__init__(data, initial=initial)
        for indicator in indicators:
            code = indicator.code
            value = _item_field(indicator)
            value.label = indicator.label_th
            stored = initial.get(code)
            if indicator.kind == IndicatorKind.CHOICE and stored and stored not in indicator.choices:
                value.choices = [*value.choices, (stored, stored)]  # an answer from an older catalogue stays readable
            self.fields[code] = value
            self.fields[self.na_name(code)] = forms.BooleanField(required=False, label=_("ไม่เกี่ยวข้อง"))
            if indicator.is_numeric:
                self.fields[self.reason_name(code)] = forms.CharField(
                    required=False, max_length=TEXT_MAX_LENGTH, label=_("เหตุผลที่เปลี่ยนแปลงมาก"),
                    widget=forms.Textarea(attrs={"rows": 2}),
                    error_messages={"max_length": _("ข้อความยาวได้ไม่เกิน 2,000 ตัวอักษร")},
                )
            self._describe(indicator, check_url)
            if code in self.sums:
                self.fields[code].widget.attrs.update({
                    "readonly": True, "data-sum": " ".join(f"id_{part}" for part in self.sums[code]),
                    "aria-describedby": f"sum-{code} issues-{code}"})

    @staticmethod
    def na_name(code: str) -> str:
        return f"{code}-na"

    @staticmethod
    def reason_name(code: str) -> str:
        return f"{code}-reason"

    def _describe(self, indicator: Indicator, check_url: str) -> None:
        """Tie each input to the messages beside it; with a check URL, htmx checks the item on change."""
        code = indicator.code
        names = [code, self.na_name(code)] + ([self.reason_name(code)] if indicator.is_numeric else [])
        for name in names:
            attrs = self.fields[name].widget.attrs
            attrs["aria-describedby"] = f"issues-{code}"
            if check_url:
                attrs.update({"hx-post": check_url, "hx-trigger": "change", "hx-target": f"#extra-{code}",
                              "hx-swap": "outerHTML"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for indicator in self.indicators:
            # A ticked "not applicable" box wins over whatever is in the value box.
            if cleaned.get(self.na_name(indicator.code)):
                self.errors.pop(indicator.code, None)
        return cleaned

    def typed_values(self) -> dict[str, Any]:
        """Typed values by item code for the services: NOT_APPLICABLE when ticked, None when empty.
        Items whose input is invalid are left out."""
        errors = self.errors
        cleaned = getattr(self, "cleaned_data", {})
        typed: dict[str, Any] = {}
        for indicator in self.indicators:
            code = indicator.code
            if cleaned.get(self.na_name(code)):
                typed[code] = NOT_APPLICABLE
            elif code in cleaned and code not in errors:
                typed[code] = self._typed(indicator, cleaned[code])
        return with_sums(typed, sums=self.sums, indicators={i.code: i for i in self.indicators})

    @staticmethod
    def _typed(indicator: Indicator, value: Any) -> Any:
        if indicator.kind == IndicatorKind.YES_NO:
            return {YES: True, NO: False}.get(value)
        if indicator.kind in (IndicatorKind.TEXT, IndicatorKind.CHOICE):
            return value.strip() or None
        return value

    def reasons(self) -> dict[str, str]:
        cleaned = getattr(self, "cleaned_data", {})
        return {i.code: cleaned.get(self.reason_name(i.code), "").strip() for i in self.indicators if i.is_numeric}

    def section_codes(self, number: int) -> list[str]:
        """Codes of the items in the numbered section (from 1, in catalogue order)."""
        sections = _group(self.indicators)
        if not 1 <= number <= len(sections):
            return []
        return [i.code for i in sections[number - 1][1]]

    def sections(self, *, last_year: Mapping[str, Any], checks: CheckResult,
                 latest: Mapping[str, Any] | None = None) -> list[FormSection]:
        """The items grouped by section, each with what the page shows beside it.
        `latest`: the values stored now, after someone else's save; shown where they differ from the input."""
        on_screen = self.typed_values() if self.is_bound else {}
        labels = {indicator.code: indicator.label_th for indicator in self.indicators}
        result = []
        for number, (name, indicators) in enumerate(_group(self.indicators), start=1):
            items = []
            for indicator in indicators:
                code = indicator.code
                row = self.rows.get(code)
                item = FormItem(
                    indicator=indicator,
                    value=self[code],
                    not_applicable=self[self.na_name(code)],
                    reason=self[self.reason_name(code)] if indicator.is_numeric else None,
                    display=format_value(values.read(row)),
                    last_year=format_value(last_year.get(code)),
                    carried=row is not None and row.carried_forward,
                    stored_reason=row.change_reason if row is not None else "",
                    issues=checks.for_code(code),
                    sum_of=" + ".join(labels[part] for part in self.sums.get(code, ())),
                )
                if latest is not None and code in on_screen and not values.same(latest.get(code), on_screen[code]):
                    item.latest = format_value(latest.get(code)) or "—"
                items.append(item)
            result.append(FormSection(number=number, name=name, items=items))
        return result

    def check_summary(self, checks: CheckResult, confirmed: list[str]) -> CheckSummary:
        labels = {i.code: i.label_th for i in self.indicators}
        warnings = []
        for issue in checks.warnings:
            key = f"{issue.kind}:{issue.code}:{issue.message}"
            warnings.append(CheckWarning(issue=issue, label=labels.get(issue.code, ""), key=key,
                                         confirmed=key in confirmed))
        return CheckSummary(errors=[(labels.get(i.code, ""), i) for i in checks.errors], warnings=warnings)


def _group(indicators: list[Indicator]) -> list[tuple[str, list[Indicator]]]:
    """Items by section, sections in the order their first item comes."""
    groups: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        groups.setdefault(indicator.section, []).append(indicator)
    return list(groups.items())

"""The entry form of one sector report: a field per item of the catalogue, read back as typed values."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sectors import values
from sectors.checks import CheckResult
from sectors.formatting import format_value
from sectors.forms.fields import NO, TEXT_MAX_LENGTH, YES, initial_of, item_field
from sectors.forms.items import CheckSummary, CheckWarning, FormItem, FormSection
from sectors.forms.widgets import CheckboxInput, HiddenInput, Textarea
from sectors.models import Indicator, IndicatorKind, IndicatorValue
from sectors.sums import with_sums
from sectors.values import NOT_APPLICABLE


class ReportForm(forms.Form):
    """Every item of a report: value, "not applicable" box and, for numbers, the reason for a big change."""

    version = forms.IntegerField(min_value=0, widget=HiddenInput,
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
            initial[indicator.code] = None if typed == NOT_APPLICABLE else initial_of(indicator, typed)
            initial[self.na_name(indicator.code)] = typed == NOT_APPLICABLE
            initial[self.reason_name(indicator.code)] = row.change_reason
        super().__init__(data, initial=initial)
        for indicator in indicators:
            code = indicator.code
            value = item_field(indicator)
            value.label = indicator.display_name
            stored = initial.get(code)
            if indicator.kind == IndicatorKind.CHOICE and stored and stored not in indicator.choices:
                value.choices = [*value.choices, (stored, stored)]  # an answer from an older catalogue stays readable
            self.fields[code] = value
            self.fields[self.na_name(code)] = forms.BooleanField(required=False, label=_("ไม่เกี่ยวข้อง"),
                                                                  widget=CheckboxInput)
            if indicator.is_numeric:
                self.fields[self.reason_name(code)] = forms.CharField(
                    required=False, max_length=TEXT_MAX_LENGTH, label=_("เหตุผลที่เปลี่ยนแปลงมาก"),
                    widget=Textarea(attrs={"rows": 2}),
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
                 latest: Mapping[str, Any] | None = None,
                 return_reasons: Mapping[str, str] | None = None) -> list[FormSection]:
        """The items grouped by section, each with what the page shows beside it.
        `latest`: the values stored now, after someone else's save; shown where they differ from the input.
        `return_reasons`: the reason per item given when the report was sent back."""
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
                    return_reason=(return_reasons or {}).get(code, ""),
                )
                if latest is not None and code in on_screen and not values.same(latest.get(code), on_screen[code]):
                    item.latest = format_value(latest.get(code)) or "—"
                items.append(item)
            result.append(FormSection(number=number, name=indicators[0].display_section if name else "", items=items))
        return result

    def check_summary(self, checks: CheckResult, confirmed: list[str]) -> CheckSummary:
        labels = {i.code: i.display_name for i in self.indicators}
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

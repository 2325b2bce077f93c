"""The catalogue as a spreadsheet for the department: a fiscal year's items and rules, exported and imported
through django-import-export. Every row is checked with a Thai message per column; a file with any bad row
imports nothing; a fiscal year that has a certified report is never changed.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from info_portal.resources import SpreadsheetSafeResource
from organizations.models import LAOType
from sectors.catalogue import indicator_problems, rule_check
from sectors.models import (
    FiscalYear,
    Indicator,
    IndicatorKind,
    Sector,
    Severity,
    ValidationRule,
)
from sectors.parsing import normal_text
from sectors.selectors import catalogue_locked

CHOICE_SEPARATOR = " | "
YES_WORDS = frozenset({"1", "true", "yes", "y", "ใช่", "ต้องกรอก", "✓"})
NO_WORDS = frozenset({"", "0", "false", "no", "n", "ไม่", "ไม่ใช่", "ไม่ต้องกรอก"})


def locked_message(be_year: int) -> str:
    return _("ปีงบประมาณ %(year)s มีรายงานที่รับรองแล้ว จึงแก้ไขรายการข้อมูลและกฎตรวจสอบของปีนี้ไม่ได้") % {
        "year": be_year}


def _labels(choices) -> dict[str, str]:
    """Every way a cell may name a choice: its value, its Thai label and its label in the current language."""
    names = {}
    for choice in choices:
        names[choice.value.lower()] = choice.value
        names[str(choice.label).lower()] = choice.value
        with translation.override("th"):
            names[str(choice.label).lower()] = choice.value
    return names


def lao_types_from(value: Any) -> list[str]:
    known = _labels(LAOType)
    found = []
    for part in (p.strip() for p in re.split(r"[,;\n|]+", normal_text(value) if value is not None else "")):
        if not part:
            continue
        if part.lower() not in known:
            raise ValueError(_("ไม่รู้จักประเภท อปท. “%(type)s” ใช้ได้: %(known)s") % {
                "type": part, "known": ", ".join(LAOType.values)})
        if known[part.lower()] not in found:
            found.append(known[part.lower()])
    return found


class YearWidget(widgets.Widget):
    """A fiscal year by its Buddhist-Era year."""

    def clean(self, value, row=None, **kwargs):
        text = normal_text(value)
        if not text:
            raise ValueError(_("ต้องระบุปีงบประมาณ (พ.ศ.)"))
        year = FiscalYear.objects.filter(be_year=int(text)).first() if text.isdigit() and len(text) == 4 else None
        if year is None:
            raise ValueError(_("ไม่มีปีงบประมาณ “%(year)s” ในระบบ") % {"year": text})
        return year

    def render(self, value, obj=None, **kwargs):
        return value.be_year if value else ""


class SectorWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = normal_text(value)
        sector = Sector.objects.filter(code=text).first() or Sector.objects.filter(name_th=text).first()
        if sector is None:
            raise ValueError(_("ไม่รู้จักด้าน “%(sector)s” ใช้รหัสด้าน เช่น governance") % {"sector": text})
        return sector

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class ChoiceWidget(widgets.Widget):
    """A value of TextChoices, by its value or its label."""

    def __init__(self, choices, message):
        super().__init__()
        self.choices, self.message = choices, message

    def clean(self, value, row=None, **kwargs):
        text = normal_text(value)
        known = _labels(self.choices)
        if text.lower() not in known:
            raise ValueError(str(self.message) % {"value": text, "known": ", ".join(self.choices.values)})
        return known[text.lower()]

    def render(self, value, obj=None, **kwargs):
        return value or ""


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return normal_text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        word = normal_text(value).lower()
        if word in YES_WORDS or word in NO_WORDS:
            return word in YES_WORDS
        raise ValueError(_("ต้องเป็น “ใช่” หรือ “ไม่ใช่”"))

    def render(self, value, obj=None, **kwargs):
        return "ใช่" if value else "ไม่ใช่"


class NumberWidget(widgets.Widget):
    def __init__(self, *, integer: bool = False, blank: bool = True):
        super().__init__()
        self.integer, self.blank = integer, blank

    def clean(self, value, row=None, **kwargs):
        text = normal_text(value).replace(",", "")
        if not text:
            if self.blank:
                return None
            raise ValueError(_("ต้องระบุตัวเลข"))
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("ต้องเป็นตัวเลข")) from None
        if not number.is_finite() or (self.integer and (number != number.to_integral_value() or number < 0)):
            raise ValueError(_("ต้องเป็นจำนวนเต็มไม่ติดลบ") if self.integer else _("ต้องเป็นตัวเลข"))
        return int(number) if self.integer else number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if isinstance(value, int) else f"{value.normalize():f}"


class ChoicesWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value)
        return [normal_text(part) for part in re.split(r"[|\n]", text) if normal_text(part)]

    def render(self, value, obj=None, **kwargs):
        return CHOICE_SEPARATOR.join(value or [])


class LAOTypesWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return lao_types_from(value)

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])


class CatalogueResource(SpreadsheetSafeResource):
    """Shared by items and rules: the year comes first, is checked before the row is looked up, and must
    not be locked; errors are keyed by the file's column names; any bad row rolls the whole file back."""

    def before_import(self, dataset, **kwargs):
        self.seen: dict[tuple, int] = {}
        self.locked: dict[int, bool] = {}

    def before_import_row(self, row, **kwargs):
        year_column = self.fields["fiscal_year"].column_name
        try:
            fiscal_year = self.fields["fiscal_year"].widget.clean(row.get(year_column))
        except ValueError as error:
            raise ValidationError({year_column: str(error)}) from None
        if self.locked.setdefault(fiscal_year.pk, catalogue_locked(fiscal_year)):
            raise ValidationError({year_column: locked_message(fiscal_year.be_year)})
        key = (fiscal_year.pk, *(normal_text(row.get(self.fields[f].column_name)) for f in self.key_fields()))
        first = self.seen.setdefault(key, kwargs.get("row_number", 0))
        if first != kwargs.get("row_number", 0):
            raise ValidationError(_("ซ้ำกับแถวที่ %(row)d ในไฟล์นี้") % {"row": first})

    def key_fields(self) -> list[str]:
        return [f for f in self._meta.import_id_fields if f != "fiscal_year"]

    def row_problems(self, instance) -> dict[str, str]:
        return {}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        for name, message in self.row_problems(instance).items():
            if name not in errors:
                errors[name] = [ValidationError(message)]
        try:
            instance.full_clean(exclude=list(errors), validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            columns = {f.attribute: f.column_name for f in self.fields.values()}
            raise ValidationError({columns.get(name, NON_FIELD_ERRORS): messages for name, messages in errors.items()})

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
                                   collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=True,
                                   **kwargs)


def _field(attribute: str, column: str, widget: widgets.Widget) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget)


class IndicatorResource(CatalogueResource):
    """The items of the catalogue, one row each, keyed by (fiscal year, code)."""

    fiscal_year = _field("fiscal_year", "ปีงบประมาณ", YearWidget())
    sector = _field("sector", "ด้าน", SectorWidget())
    code = _field("code", "รหัสรายการ", TextWidget())
    label_th = _field("label_th", "ชื่อรายการ", TextWidget())
    label_en = _field("label_en", "ชื่อภาษาอังกฤษ", TextWidget())
    kind = _field("kind", "ชนิดข้อมูล", ChoiceWidget(
        IndicatorKind, gettext_lazy("ไม่รู้จักชนิดข้อมูล “%(value)s” ใช้ได้: %(known)s")))
    unit = _field("unit", "หน่วย", TextWidget())
    unit_en = _field("unit_en", "หน่วยภาษาอังกฤษ", TextWidget())
    required = _field("required", "ต้องกรอก", YesNoWidget())
    min_value = _field("min_value", "ค่าต่ำสุด", NumberWidget())
    max_value = _field("max_value", "ค่าสูงสุด", NumberWidget())
    choices = _field("choices", "ตัวเลือก", ChoicesWidget())
    lao_types = _field("lao_types", "ประเภท อปท.", LAOTypesWidget())
    section = _field("section", "หมวด", TextWidget())
    section_en = _field("section_en", "หมวดภาษาอังกฤษ", TextWidget())
    order = _field("order", "ลำดับ", NumberWidget(integer=True, blank=False))
    help_text = _field("help_text", "คำอธิบาย", TextWidget())

    class Meta:
        model = Indicator
        fields = ["fiscal_year", "sector", "code", "label_th", "label_en", "kind", "unit", "unit_en", "required",
                  "min_value", "max_value", "choices", "lao_types", "section", "section_en", "order", "help_text"]
        import_id_fields = ["fiscal_year", "code"]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return Indicator.objects.select_related("fiscal_year", "sector")

    def row_problems(self, instance) -> dict[str, str]:
        return indicator_problems(kind=instance.kind, choices=instance.choices or [], min_value=instance.min_value,
                                  max_value=instance.max_value)


class ValidationRuleResource(CatalogueResource):
    """The rules of the catalogue, keyed by (fiscal year, expression); each must name items of its year."""

    fiscal_year = _field("fiscal_year", "ปีงบประมาณ", YearWidget())
    expression = _field("expression", "เงื่อนไข", TextWidget())
    severity = _field("severity", "ระดับ", ChoiceWidget(
        Severity, gettext_lazy("ไม่รู้จักระดับ “%(value)s” ใช้ได้: %(known)s")))
    message_th = _field("message_th", "ข้อความแจ้ง", TextWidget())
    message_en = _field("message_en", "ข้อความแจ้งภาษาอังกฤษ", TextWidget())
    order = _field("order", "ลำดับ", NumberWidget(integer=True, blank=False))

    class Meta:
        model = ValidationRule
        fields = ["fiscal_year", "expression", "severity", "message_th", "message_en", "order"]
        import_id_fields = ["fiscal_year", "expression"]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return ValidationRule.objects.select_related("fiscal_year")

    def row_problems(self, instance) -> dict[str, str]:
        if not instance.expression:
            return {}
        try:
            rule_check(fiscal_year=instance.fiscal_year, expression=instance.expression)
        except ValidationError as error:
            return {"expression": " ".join(error.messages)}
        return {}

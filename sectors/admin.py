from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from organizations.models import LAOType
from sectors.catalogue import indicator_problems, rule_check
from sectors.models import (
    INDICATOR_ORDER,
    REPORT_ORDER,
    FiscalYear,
    Indicator,
    IndicatorValue,
    Sector,
    SectorReport,
    ValidationRule,
    ValueChange,
)
from sectors.resources import (
    IndicatorResource,
    ValidationRuleResource,
    locked_message,
)
from sectors.selectors import catalogue_locked, sector_locked


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    """The number of a year with a certified report is shown read-only: the seals of its reports name it."""

    list_display = ["be_year", "is_current"]

    def get_readonly_fields(self, request, obj=None):
        return ["be_year"] if obj is not None and catalogue_locked(obj) else []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and catalogue_locked(obj):
            messages.warning(request, _("ปีงบประมาณ %(year)s มีรายงานที่รับรองแล้ว จึงเปลี่ยนเลขปีไม่ได้")
                             % {"year": obj.be_year})
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    """The code of a sector with a certified report is shown read-only: the seals of its reports name it."""

    list_display = ["order", "code", "name_th", "name_en"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None and sector_locked(obj) else []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and sector_locked(obj):
            messages.warning(request, _("ด้าน “%(sector)s” มีรายงานที่รับรองแล้ว จึงเปลี่ยนรหัสด้านไม่ได้")
                             % {"sector": obj.name_th})
        return super().change_view(request, object_id, form_url, extra_context)


class CatalogueAdminForm(forms.ModelForm):
    """The year of a catalogue row must not have a certified report, before or after the edit."""

    def clean_fiscal_year(self):
        fiscal_year = self.cleaned_data["fiscal_year"]
        for year in {fiscal_year, self.instance.fiscal_year if self.instance.fiscal_year_id else None} - {None}:
            if catalogue_locked(year):
                raise ValidationError(locked_message(year.be_year))
        return fiscal_year


class IndicatorAdminForm(CatalogueAdminForm):
    choices = forms.CharField(label=_("ตัวเลือก"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("หนึ่งตัวเลือกต่อบรรทัด ใช้เฉพาะรายการชนิดตัวเลือก"))
    lao_types = forms.MultipleChoiceField(label=_("ประเภท อปท. ที่ต้องกรอก"), choices=LAOType.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple,
                                          help_text=_("ไม่เลือก = ทุกประเภท"))

    class Meta:
        model = Indicator
        fields = ["fiscal_year", "sector", "code", "label_th", "label_en", "help_text", "kind", "unit", "unit_en",
                  "required", "min_value", "max_value", "choices", "section", "section_en", "order", "lao_types"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["choices"] = "\n".join(self.instance.choices or [])

    def clean_choices(self) -> list[str]:
        return [" ".join(line.split()) for line in self.cleaned_data["choices"].splitlines() if line.strip()]

    def clean(self):
        cleaned = super().clean()
        problems = indicator_problems(kind=cleaned.get("kind", ""), choices=cleaned.get("choices") or [],
                                      min_value=cleaned.get("min_value"), max_value=cleaned.get("max_value"))
        for name, message in problems.items():
            self.add_error(name, message)
        return cleaned


class ValidationRuleAdminForm(CatalogueAdminForm):
    class Meta:
        model = ValidationRule
        fields = ["fiscal_year", "expression", "severity", "message_th", "message_en", "order"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fiscal_year") and cleaned.get("expression"):
            try:
                rule_check(fiscal_year=cleaned["fiscal_year"], expression=cleaned["expression"])
            except ValidationError as error:
                self.add_error("expression", error)
        return cleaned


class CatalogueAdmin(ImportExportModelAdmin):
    """Items and rules of a year with a certified report are shown read-only and refused on import."""

    formats = [XLSX, CSV]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and catalogue_locked(obj.fiscal_year_id))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and catalogue_locked(obj.fiscal_year_id))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and catalogue_locked(obj.fiscal_year_id):
            messages.warning(request, locked_message(obj.fiscal_year.be_year))
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Indicator)
class IndicatorAdmin(CatalogueAdmin):
    form = IndicatorAdminForm
    resource_classes = [IndicatorResource]
    list_display = ["code", "label_th", "sector", "fiscal_year", "kind", "unit", "required", "section", "order"]
    list_filter = ["fiscal_year", "sector", "kind", "required"]
    list_select_related = ["sector", "fiscal_year"]
    search_fields = ["code", "label_th", "label_en"]
    ordering = INDICATOR_ORDER


@admin.register(ValidationRule)
class ValidationRuleAdmin(CatalogueAdmin):
    form = ValidationRuleAdminForm
    resource_classes = [ValidationRuleResource]
    list_display = ["expression", "severity", "message_th", "fiscal_year"]
    list_filter = ["fiscal_year", "severity"]
    list_select_related = ["fiscal_year"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reference only: values change through the form or the Excel upload, where every change is
    recorded and certified data is refused."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SectorReport)
class SectorReportAdmin(ReadOnlyAdmin):
    list_display = ["lao", "sector", "fiscal_year", "status", "version", "updated_at", "updated_by"]
    list_filter = ["fiscal_year", "sector", "status"]
    search_fields = ["lao__name_th", "lao__dla_code"]
    list_select_related = ["lao", "sector", "fiscal_year", "updated_by"]
    raw_id_fields = ["lao"]
    ordering = REPORT_ORDER


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnlyAdmin):
    list_display = ["value", "old", "new", "changed_by", "changed_at", "channel"]
    list_select_related = ["value__indicator", "changed_by"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ["report", "indicator", "value_integer", "value_decimal", "value_text", "value_bool",
                    "not_applicable", "carried_forward"]
    list_select_related = ["report__lao", "report__sector", "report__fiscal_year", "indicator"]
    raw_id_fields = ["report"]

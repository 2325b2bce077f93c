from django.contrib import admin

from sectors.models import FiscalYear, Indicator, IndicatorValue, Sector, SectorReport, ValidationRule, ValueChange


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["be_year", "is_current"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name_th", "name_en"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "label_th", "sector", "fiscal_year", "kind", "unit", "required", "section", "order"]
    list_filter = ["fiscal_year", "sector", "kind", "required"]
    search_fields = ["code", "label_th", "label_en"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ["expression", "severity", "message_th", "fiscal_year"]
    list_filter = ["fiscal_year", "severity"]


@admin.register(SectorReport)
class SectorReportAdmin(admin.ModelAdmin):
    list_display = ["lao", "sector", "fiscal_year", "status", "version", "updated_at", "updated_by"]
    list_filter = ["fiscal_year", "sector", "status"]
    search_fields = ["lao__name_th", "lao__dla_code"]
    list_select_related = ["lao", "sector", "fiscal_year", "updated_by"]
    raw_id_fields = ["lao"]
    readonly_fields = ["lao", "sector", "fiscal_year", "status", "version", "updated_by"]


@admin.register(ValueChange)
class ValueChangeAdmin(admin.ModelAdmin):
    list_display = ["value", "old", "new", "changed_by", "changed_at", "channel"]
    list_select_related = ["value__indicator", "changed_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.register(IndicatorValue)

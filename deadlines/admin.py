from django.contrib import admin

from deadlines.models import ROUND_ORDER, ChaseLog, Extension, LevelDeadline, ReportingRound


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "opens_on", "record_by", "certify_by", "closes_on", "published_at"]
    readonly_fields = ["published_at", "published_by"]
    ordering = ROUND_ORDER


@admin.register(LevelDeadline)
class LevelDeadlineAdmin(admin.ModelAdmin):
    list_display = ["round", "province", "district", "record_by", "certify_by", "set_by", "set_at"]
    list_select_related = ["round__fiscal_year", "province", "district", "set_by"]
    raw_id_fields = ["district"]


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["round", "lao", "district", "certify_by", "reason", "granted_by", "granted_at"]
    list_select_related = ["round__fiscal_year", "lao", "district", "granted_by"]
    raw_id_fields = ["lao", "district"]


@admin.register(ChaseLog)
class ChaseLogAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "lao", "sent_by", "recipients", "note"]
    list_select_related = ["lao", "sent_by"]
    readonly_fields = [f.name for f in ChaseLog._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

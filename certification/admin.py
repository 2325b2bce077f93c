from django.contrib import admin

from certification.models import CertificationSeal, ReportEvent
from sectors.admin import ReadOnlyAdmin


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "report", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "to_status"]
    search_fields = ["report__lao__name_th", "report__lao__dla_code", "actor__username"]
    list_select_related = ["report__lao", "report__sector", "report__fiscal_year", "actor"]
    date_hierarchy = "at"


@admin.register(CertificationSeal)
class CertificationSealAdmin(ReadOnlyAdmin):
    list_display = ["certified_at", "report", "certified_by", "sha256", "superseded_at"]
    search_fields = ["report__lao__name_th", "sha256"]
    list_select_related = ["report__lao", "report__sector", "report__fiscal_year", "certified_by"]

from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs are written by their services only: the admin reads them."""

    list_display = ["title", "kind", "started_by", "status", "done", "total", "attempts", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "started_by__username"]
    list_select_related = ["started_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    DistrictUserObjectPermission,
    LAOUserObjectPermission,
    ProvinceUserObjectPermission,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["username"]
    list_display = ["username", "full_name", "position", "email", "is_active", "is_demo", "must_change_password"]
    list_filter = ["is_active", "is_staff", "is_demo", "must_change_password"]
    search_fields = ["username", "full_name", "email", "phone"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("ข้อมูลส่วนตัว"), {"fields": ("full_name", "position", "email", "phone")}),
        (_("สิทธิ์"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions",
                                 "must_change_password", "is_demo")}),
        (_("วันที่สำคัญ"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "email", "password1", "password2")}),
    )

    def save_model(self, request, obj, form, change):
        # A password typed by an administrator is temporary: the owner must replace it.
        if "password" in form.changed_data or "password1" in form.changed_data:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)


class GrantAdmin(admin.ModelAdmin):
    list_display = ["user", "permission", "content_object"]
    list_select_related = ["user", "permission", "content_object"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user", "content_object"]


admin.site.register(LAOUserObjectPermission, GrantAdmin)
admin.site.register(DistrictUserObjectPermission, GrantAdmin)
admin.site.register(ProvinceUserObjectPermission, GrantAdmin)

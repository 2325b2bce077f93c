from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AccountEvent,
    ActingAppointment,
    DistrictUserObjectPermission,
    LAOUserObjectPermission,
    ProvinceUserObjectPermission,
    User,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: accounts and roles change only through the portal's account pages, whose services
    check the policy, run in one transaction and write the audit trail. Nobody becomes a superuser, gets raw
    permissions or groups, or has a grant row edited behind the policy's back."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, BaseUserAdmin):
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

    def get_urls(self):
        # Without the admin's own password form: a password is set only through the portal's account page.
        return [url for url in super().get_urls() if not str(url.pattern).endswith("password/")]


class GrantAdmin(ReadOnlyAdmin):
    list_display = ["user", "permission", "content_object"]
    list_select_related = ["user", "permission", "content_object"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user", "content_object"]


admin.site.register(LAOUserObjectPermission, GrantAdmin)
admin.site.register(DistrictUserObjectPermission, GrantAdmin)
admin.site.register(ProvinceUserObjectPermission, GrantAdmin)


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "account", "action", "role", "unit_label", "actor"]
    list_filter = ["action"]
    search_fields = ["account__username", "actor__username", "unit_label"]
    list_select_related = ["account", "actor"]


@admin.register(ActingAppointment)
class ActingAppointmentAdmin(ReadOnlyAdmin):
    list_display = ["lao", "user", "capacity", "order_ref", "starts_on", "ends_on", "revoked_on", "appointed_by"]
    list_filter = ["capacity"]
    search_fields = ["user__username", "lao__name_th", "order_ref"]
    list_select_related = ["lao", "user", "appointed_by"]


def _without_second_factor_devices() -> None:
    """django-otp's admin would show each device's secret (its QR code) to whoever may view it: devices are set up
    and removed only by their owner, on the account's security page, so the admin shows none of them."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_without_second_factor_devices()

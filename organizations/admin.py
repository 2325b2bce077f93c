from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from organizations.models import LAO, LAO_ORDER, District, Province, Subdistrict
from organizations.registry import COLUMNS, LAORegistryResource
from organizations.registry.job import registry_import_start


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["province"]


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "district"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]


class RegistryImportForm(forms.Form):
    import_file = forms.FileField(label=gettext_lazy("ไฟล์ทะเบียน อปท. (.csv หรือ .xlsx)"))


@admin.register(LAO)
class LAOAdmin(ImportExportMixin, admin.ModelAdmin):
    list_display = ["name_th", "lao_type", "dla_code", "district", "province", "is_active", "is_demo"]
    list_filter = ["lao_type", "is_active", "is_demo", "province"]
    search_fields = ["name_th", "name_en", "dla_code"]
    list_select_related = ["province", "district"]
    ordering = LAO_ORDER
    autocomplete_fields = ["province", "district", "subdistricts"]
    resource_classes = [LAORegistryResource]
    formats = [CSV, XLSX]
    import_export_change_list_template = "admin/organizations/lao/change_list_import_export.html"
    import_template_name = "admin/organizations/lao/registry_import.html"

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def import_action(self, request, **kwargs):
        """Check the uploaded registry ("_check") or import it ("_import"): a background job runs registry_import
        and its page shows the progress, then each line's effect or error."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = RegistryImportForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            upload = form.cleaned_data["import_file"]
            try:
                job = registry_import_start(actor=request.user, file=upload, dry_run="_import" not in request.POST)
            except ValidationError as refused:  # another import is running
                form.add_error(None, refused)
            else:
                return HttpResponseRedirect(job.get_absolute_url())
        context = {
            **self.admin_site.each_context(request),
            "title": _("นำเข้าทะเบียน อปท."),
            "opts": self.opts,
            "form": form,
            "columns": COLUMNS,
            "max_mb": f"{settings.UPLOAD_MAX_BYTES / 1024 / 1024:g}",
        }
        return TemplateResponse(request, self.import_template_name, context)

    def process_import(self, request, **kwargs):
        # The two-step confirm of django-import-export is replaced by the check / import buttons above.
        return HttpResponseRedirect(reverse("admin:organizations_lao_import"))

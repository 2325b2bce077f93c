from django.contrib import admin

from organizations.models import LAO, District, Province, Subdistrict


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


@admin.register(LAO)
class LAOAdmin(admin.ModelAdmin):
    list_display = ["name_th", "lao_type", "dla_code", "district", "province", "is_active", "is_demo"]
    list_filter = ["lao_type", "is_active", "is_demo", "province"]
    search_fields = ["name_th", "name_en", "dla_code"]
    list_select_related = ["province", "district"]
    autocomplete_fields = ["province", "district", "subdistricts"]

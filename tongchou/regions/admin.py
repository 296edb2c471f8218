from django.contrib import admin

from tongchou.regions.models import Department, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name", "pinyin")
    readonly_fields = ("prefix",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "region", "sort_order", "is_active")
    list_filter = ("is_active", "region")
    search_fields = ("name", "short_name")
    list_editable = ("sort_order", "is_active")
    autocomplete_fields = ("region",)

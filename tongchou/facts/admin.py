from django.contrib import admin

from tongchou.facts.models import EnterpriseFact, FactImport


@admin.register(EnterpriseFact)
class EnterpriseFactAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "name", "value_number", "value_text", "as_of", "source")
    list_filter = ("name", "source")
    search_fields = ("enterprise__uscc", "enterprise__name", "name")
    raw_id_fields = ("enterprise",)
    date_hierarchy = "as_of"


@admin.register(FactImport)
class FactImportAdmin(admin.ModelAdmin):
    list_display = ("imported_at", "source", "as_of", "file_name", "rows", "facts", "imported_by")

from django.contrib import admin

from tongchou.enterprises.models import Enterprise, Industry
from tongchou.facts.models import EnterpriseFact


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")


class FactInline(admin.TabularInline):
    model = EnterpriseFact
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "kind", "region", "industry", "size_class")
    list_filter = ("kind", "size_class", "above_designated_size")
    search_fields = ("name", "uscc")
    autocomplete_fields = ("region", "industry")
    inlines = [FactInline]

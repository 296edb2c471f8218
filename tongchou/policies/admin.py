from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tongchou.policies.models import Measure, PolicyDocument


class MeasureInline(admin.TabularInline):
    model = Measure
    fields = ("number", "title", "lead_units", "unresolved_lead_units", "topics")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "kind", "doc_number", "issued_on", "region", "created_at")
    list_filter = ("kind", "region")
    search_fields = ("slug", "title", "doc_number", "issuer_text")
    readonly_fields = ("original_sha256", "source_format", "created_at", "created_by", "original_filename")
    exclude = ("original_text", "text", "offset_map")
    inlines = [MeasureInline]

    def has_add_permission(self, request):
        return False  # documents enter through the upload page / `tongchou ingest` (parsed, transactional)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("measure_id", "title", "document")
    search_fields = ("measure_id", "title", "lead_units_text")
    list_filter = ("document",)
    filter_horizontal = ("lead_departments",)
    readonly_fields = ("measure_id", "document", "number", "position", "start", "end", "tokens")
    fieldsets = (
        (None, {"fields": ("measure_id", "document", "number", "title", "text", "path")}),
        (
            _("责任"),
            {"fields": ("responsible_persons", "lead_units", "unresolved_lead_units", "lead_departments")},
        ),
        (_("数据与主题"), {"fields": ("quantities", "topics")}),
        (_("位置与分词"), {"fields": ("position", "start", "end", "tokens")}),
    )

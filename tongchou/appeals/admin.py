from django.contrib import admin

from tongchou.appeals.models import Appeal, AppealEvent, Batch, DeadlinePolicy, RoutingKeyword


class AppealEventInline(admin.TabularInline):
    model = AppealEvent
    extra = 0
    can_delete = False
    readonly_fields = (
        "at",
        "actor",
        "actor_label",
        "action",
        "from_status",
        "to_status",
        "from_department",
        "to_department",
        "reason",
    )
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("number", "status", "category", "region", "department", "submitted_at", "feedback_due")
    list_filter = ("status", "category", "channel")
    search_fields = ("number", "text", "external_id")
    raw_id_fields = ("submitter", "enterprise", "merged_into", "batch")
    readonly_fields = ("number", "status", "routing", "feedback_at", "answered_at", "rated_at", "closed_at")
    inlines = [AppealEventInline]
    show_full_result_count = False


@admin.register(RoutingKeyword)
class RoutingKeywordAdmin(admin.ModelAdmin):
    list_display = ("keyword", "department", "weight", "is_active")
    list_filter = ("is_active", "department__region")
    list_editable = ("weight", "is_active")
    search_fields = ("keyword", "department__name")
    autocomplete_fields = ()
    # (saves and deletes clear the routers' cache through its model signals: routing_db.py)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "category", "region", "feedback_days", "resolution_days")
    list_filter = ("category",)


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title", "addressee", "created_at", "created_by")

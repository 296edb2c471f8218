from django.contrib import admin

from tongchou.core.models import AuditEntry, Escalation, Notification, ScheduledJob


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "ip_address")
    list_filter = ("action",)
    search_fields = ("object_id", "actor__username")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "title", "user", "enterprise", "kind", "read_at")
    list_filter = ("kind",)
    search_fields = ("title",)


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "workflow", "object_id", "kind", "due")
    list_filter = ("workflow", "kind")
    search_fields = ("object_id",)
    readonly_fields = [f.name for f in Escalation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """后台任务: what each registered job did last, and when it runs next."""

    list_display = (
        "label",
        "name",
        "next_run_at",
        "last_started_at",
        "last_duration_ms",
        "last_result",
        "failures",
        "last_error_at",
        "lease_owner",
    )
    readonly_fields = [f.name for f in ScheduledJob._meta.fields]
    actions = ["run_soon"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="下次轮询时立即运行")
    def run_soon(self, request, queryset):
        from tongchou.core import clock

        n = queryset.update(next_run_at=clock.now())
        self.message_user(request, f"已安排 {n} 项任务在几秒内运行。")

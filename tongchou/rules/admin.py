from django.contrib import admin

from tongchou.rules.models import (
    Decision,
    Delivery,
    DeliveryEvent,
    MatchRun,
    Objection,
    Rule,
    RuleVersion,
)


class RuleVersionInline(admin.TabularInline):
    model = RuleVersion
    fields = ("number", "name", "status", "created_by", "created_at", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("id", "measure_id", "created_at")
    search_fields = ("id", "measure_id")
    inlines = [RuleVersionInline]


@admin.register(RuleVersion)
class RuleVersionAdmin(admin.ModelAdmin):
    list_display = ("rule", "number", "name", "status", "region_code", "delivery", "published_at")
    list_filter = ("status", "delivery", "benefit_kind")
    search_fields = ("rule__id", "name")
    readonly_fields = ("content_hash", "created_at", "published_at", "retired_at")


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "as_of",
        "status",
        "engine",
        "trigger",
        "eligible",
        "new_eligible",
        "notified",
        "started_at",
    )
    list_filter = ("status", "engine", "trigger")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("run", "enterprise", "rule_id", "status", "amount", "is_new")
    list_filter = ("status", "is_new")
    search_fields = ("rule_id", "enterprise__name", "enterprise__uscc")
    raw_id_fields = ("run", "enterprise", "rule_version")


class DeliveryEventInline(admin.TabularInline):
    model = DeliveryEvent
    fields = ("at", "from_status", "to_status", "actor", "actor_label", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only here: every move goes through the services (state machine + audit)."""

    list_display = ("enterprise", "rule_id", "status", "amount", "publicity_end", "payout_amount", "paid_on")
    list_filter = ("status",)
    search_fields = ("rule_id", "enterprise__name", "enterprise__uscc")
    inlines = [DeliveryEventInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("delivery", "lodged_at", "status", "resolved_by")
    list_filter = ("status",)

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from tongchou.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "enterprise", "department", "region", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    autocomplete_fields = ("enterprise", "department", "region")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("角色与归属"),
            {
                "fields": (
                    "role",
                    "display_name",
                    "phone",
                    "enterprise",
                    "department",
                    "is_department_head",
                    "bank",
                    "region",
                )
            },
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")

    def has_add_permission(self, request):  # tokens are issued with `tongchou issue-token`
        return False

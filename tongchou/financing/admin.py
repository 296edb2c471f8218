from django.contrib import admin

from tongchou.financing.models import Bank


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ("name", "region")
    search_fields = ("name",)

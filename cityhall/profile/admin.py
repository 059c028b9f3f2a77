from django.contrib import admin
from django.http import HttpRequest

from .models import Erasure


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin[Erasure]):
    """Read-only: the record that erasures happened is the city's audit, and says nothing about whom."""

    list_display = ["erased_at", "reason", "requests_anonymised", "messages_forgotten"]
    list_filter = ["reason"]
    date_hierarchy = "erased_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

"""Requests in the admin are read-mostly: changes go through the workflow (staff workspace), not raw edits."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from cityhall.core.admin_widgets import LABELLED_DATE_TIMES

from .models import Attachment, RequestEvent, ServiceRequest, Support


class EventInline(admin.TabularInline[RequestEvent, ServiceRequest]):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "action", "from_status", "to_status", "actor", "public_note", "internal_note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: ServiceRequest | None = None) -> bool:
        return False


class AttachmentInline(admin.TabularInline[Attachment, ServiceRequest]):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ("purpose", "image", "content_type", "width", "height", "size", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: ServiceRequest | None = None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin[ServiceRequest]):
    list_display = [
        "public_id",
        "service",
        "status",
        "resolution",
        "department",
        "assignee",
        "zone",
        "requested_at",
        "expected_at",
    ]
    list_filter = ["status", "resolution", "channel", "department", "zone", "priority", "jurisdiction"]
    search_fields = ["public_id", "external_id", "description", "address"]
    date_hierarchy = "requested_at"
    list_select_related = ["service", "department", "assignee", "zone"]
    raw_id_fields = ["duplicate_of", "reporter", "assignee"]
    inlines = [AttachmentInline, EventInline]
    show_full_result_count = False
    # The tracking token is the anonymous reporter's secret: nobody needs to read it here.
    exclude = ["tracking_token"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # View only: every change to a request goes through the workflow services, which write the
    # timeline event that residents, Open311 and the audit log read. Raw edits would bypass it.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ServiceRequest | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ServiceRequest | None = None) -> bool:
        return False


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin[Support]):
    list_display = ["request", "user", "email", "via_duplicate", "created_at"]
    raw_id_fields = ["request", "user", "via_duplicate"]
    formfield_overrides = LABELLED_DATE_TIMES

"""The outbox in the admin: proof of what was sent, read-only (messages change only through delivery)."""

from __future__ import annotations

from django.contrib import admin

from cityhall.core.read_only_admin import ReadOnlyAdmin

from .models import Message, Unsubscribe


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "template", "channel", "recipient_kind", "request", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status", "template", "recipient_kind"]
    # Exact address only: enough to answer "did you write to me?", no browsing by fragments.
    search_fields = ["request__public_id", "provider_id", "=address"]
    list_select_related = ["request"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [
        "request",
        "event",
        "template",
        "channel",
        "recipient_kind",
        "address",
        "language",
        "status",
        "attempts",
        "provider_id",
        "last_error",
        "created_at",
        "claimed_at",
        "sent_at",
    ]
    # The idempotency key is an internal hash; nobody needs it to understand a message.
    exclude = ["idempotency_key"]


@admin.register(Unsubscribe)
class UnsubscribeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel"]
    list_filter = ["channel"]
    readonly_fields = ["channel", "address", "created_at"]

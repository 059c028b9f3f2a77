"""The device registry in the admin: a credential is shown once, when it is issued; only its hash is stored."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Device, Rejection, Rule
from .services import device_credential_issue, device_credential_revoke


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin[Device]):
    list_display = ["device_id", "kind", "department", "service", "last_seen_at", "credential"]
    list_filter = ["kind", "department"]
    list_select_related = ["department", "service"]
    search_fields = ["device_id", "description"]
    fields = [
        "device_id",
        "kind",
        "description",
        "lat",
        "lng",
        "location_reported",
        "department",
        "service",
        "rate_limit_per_minute",
        "credential_hint",
        "credential_revoked_at",
        "last_seen_at",
        "refusals",
    ]
    readonly_fields = ["credential_hint", "credential_revoked_at", "last_seen_at", "refusals"]
    actions = ["issue_credential", "revoke_credential"]

    @admin.display(description=_("credential"))
    def credential(self, device: Device) -> str:
        if device.credential_hash is None:
            return str(_("none"))
        if device.credential_revoked_at is not None:
            return str(_("revoked"))
        return f"{device.credential_hint}…"

    @admin.display(description=_("refused messages"))
    def refusals(self, device: Device) -> str:
        counts = Rejection.objects.filter(device=device).order_by("reason")
        return ", ".join(f"{row.reason}: {row.count} ({row.last_detail})" for row in counts) or "—"

    def save_model(self, request: HttpRequest, obj: Device, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            self._show_new_credential(request, obj)

    @admin.action(description=_("Issue a new credential (the old one stops working)"))
    def issue_credential(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        for device in queryset:
            self._show_new_credential(request, device)

    @admin.action(description=_("Revoke the credential"))
    def revoke_credential(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        devices = list(queryset)
        for device in devices:
            device_credential_revoke(device=device)
        count = len(devices)
        self.message_user(request, ngettext("Revoked %d credential.", "Revoked %d credentials.", count) % count)

    def _show_new_credential(self, request: HttpRequest, device: Device) -> None:
        credential = device_credential_issue(device=device)
        message = _("The credential of %(device)s, shown only now: %(credential)s") % {
            "device": device.device_id,
            "credential": credential,
        }
        self.message_user(request, message, messages.WARNING)


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin[Rule]):
    list_display = ["name", "kind", "measure", "comparison", "threshold", "hysteresis", "for_seconds", "active"]
    list_filter = ["kind", "active"]

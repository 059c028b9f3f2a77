"""Partner API keys in the admin: a new key is shown once, when it is added; only its hash is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cityhall.core import clock
from cityhall.requests.access import PartnerScope

from .models import ApiKey, default_scopes

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldGroups  # the stubs' name for what get_fields returns


class ApiKeyForm(forms.ModelForm[ApiKey]):
    # Ticked boxes rather than raw JSON; the model's validator still checks what is stored.
    scopes = forms.MultipleChoiceField(
        choices=PartnerScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=default_scopes,
        error_messages={"required": "Give the key at least one scope."},
        help_text="Every key may read the JSON API; Open311 reads are public. These decide what the key may write.",
    )

    class Meta:
        model = ApiKey
        fields = ["name", "contact_email", "jurisdiction", "scopes", "rate_limit_per_minute", "revoked_at"]

    def clean_scopes(self) -> list[str]:
        return sorted(set(self.cleaned_data["scopes"]))


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> QuerySet[ApiKey]:
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    form = ApiKeyForm
    list_display = [
        "name",
        "key_hint",
        "jurisdiction",
        "scope_list",
        "rate_limit_per_minute",
        "created_at",
        "last_used_at",
        "active",
    ]
    list_filter = [StatusFilter, "jurisdiction"]
    list_select_related = ["jurisdiction"]
    search_fields = ["name", "contact_email", "key_hint"]
    actions = ["revoke"]
    # key_hash is never shown: it is not a secret, but nobody needs it, and the key itself is not stored.
    # The name is fixed once issued: it is stamped on every request the key submits, and the
    # update-own scope recognises "its own" requests by it, so a rename would disown them.
    readonly_fields = ["name", "key_hint", "created_at", "last_used_at"]

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> _FieldGroups:
        editable: _FieldGroups = ["name", "contact_email", "jurisdiction", "scopes", "rate_limit_per_minute"]
        if obj is None:  # Adding: the key is generated on save; there is nothing else to fill in.
            return editable
        return [*editable, "key_hint", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return [] if obj is None else list(self.readonly_fields)

    @admin.display(description="Scopes")
    def scope_list(self, obj: ApiKey) -> str:
        return ", ".join(obj.scopes)

    @admin.display(boolean=True, description="Active")
    def active(self, obj: ApiKey) -> bool:
        return obj.is_active

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        raw = None if change else obj.issue()
        super().save_model(request, obj, form, change)
        if raw is not None:
            messages.success(request, f"The API key for {obj.name} is {raw} — copy it now: it is not stored.")

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=clock.now())
        self.message_user(request, f"Revoked {revoked} API key{'' if revoked == 1 else 's'}.", messages.SUCCESS)

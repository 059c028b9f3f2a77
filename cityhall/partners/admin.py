"""Partner API keys and webhooks in the admin: a new key, or a subscription's signing secret, is shown once,
when it is added; the key's hash is stored, the secret as issued (it must sign), never shown again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cityhall.core import clock
from cityhall.core.admin_widgets import LABELLED_DATE_TIMES
from cityhall.requests.access import PartnerScope

from .models import ApiKey, WebhookAttempt, WebhookDelivery, WebhookSubscription, default_scopes
from .tasks import deliver_webhooks, sweep_webhook_deliveries
from .webhooks.addresses import AddressRefused, check_url
from .webhooks.events import APPLICATION_TYPES, EventType
from .webhooks.services import NEEDS_APPLICATIONS_SCOPE, deliveries_replay, subscriptions_resume
from .webhooks.signing import new_secret

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldGroups  # the stubs' name for what get_fields returns
    from django_stubs_ext import StrOrPromise


class ApiKeyForm(forms.ModelForm[ApiKey]):
    # Ticked boxes rather than raw JSON; the model's validator still checks what is stored.
    scopes = forms.MultipleChoiceField(
        choices=PartnerScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=default_scopes,
        error_messages={"required": _("Give the key at least one scope.")},
        label=_("may write"),
        help_text=_("Every key may read the JSON API; Open311 reads are public. These decide what the key may write."),
    )

    class Meta:
        model = ApiKey
        fields = ["name", "contact_email", "jurisdiction", "scopes", "rate_limit_per_minute", "revoked_at"]

    def clean_scopes(self) -> list[str]:
        return sorted(set(self.cleaned_data["scopes"]))


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("active", _("Active")), ("revoked", _("Revoked"))]

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
    formfield_overrides = LABELLED_DATE_TIMES  # revoked_at

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> _FieldGroups:
        editable: _FieldGroups = ["name", "contact_email", "jurisdiction", "scopes", "rate_limit_per_minute"]
        if obj is None:  # Adding: the key is generated on save; there is nothing else to fill in.
            return editable
        return [*editable, "key_hint", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return [] if obj is None else list(self.readonly_fields)

    @admin.display(description=_("may write"))
    def scope_list(self, obj: ApiKey) -> str:
        return ", ".join(obj.scopes)

    @admin.display(boolean=True, description=_("Active"))
    def active(self, obj: ApiKey) -> bool:
        return obj.is_active

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        raw = None if change else obj.issue()
        super().save_model(request, obj, form, change)
        if raw is not None:
            shown_once = _("The API key for %(partner)s is %(key)s — copy it now: it is not stored.")
            messages.success(request, shown_once % {"partner": obj.name, "key": raw})

    @admin.action(description=_("Revoke selected keys"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=clock.now())
        said = ngettext("Revoked %(count)d API key.", "Revoked %(count)d API keys.", revoked) % {"count": revoked}
        self.message_user(request, said, messages.SUCCESS)


class WebhookSubscriptionForm(forms.ModelForm[WebhookSubscription]):
    event_types = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("event types"),
        error_messages={"required": _("Choose at least one event type.")},
    )

    class Meta:
        model = WebhookSubscription
        fields = ["key", "url", "event_types", "services", "zones", "digital_services", "description"]

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"]).strip()
        try:
            check_url(url)
        except AddressRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return url

    def clean_event_types(self) -> list[str]:
        return sorted(set(self.cleaned_data["event_types"]))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        key, wanted = cleaned.get("key"), set(cleaned.get("event_types") or ())
        if key is not None and wanted & APPLICATION_TYPES and PartnerScope.APPLICATIONS not in key.scopes:
            self.add_error("event_types", NEEDS_APPLICATIONS_SCOPE)
        return cleaned


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin[WebhookSubscription]):
    form = WebhookSubscriptionForm
    list_display = ["key", "url", "types", "created_at", "consecutive_failures", "running", "log"]
    list_filter = ["key"]
    list_select_related = ["key"]
    search_fields = ["key__name", "url", "description"]
    filter_horizontal = ["services", "zones", "digital_services"]
    actions = ["resume"]
    # The secret is never shown again after creation (editable=False keeps it out of every form).
    readonly_fields = ["created_at", "consecutive_failures", "paused_at"]

    @admin.display(description=_("event types"))
    def types(self, obj: WebhookSubscription) -> str:
        return ", ".join(obj.event_types)

    @admin.display(boolean=True, description=_("Running"))
    def running(self, obj: WebhookSubscription) -> bool:
        return obj.paused_at is None

    @admin.display(description=_("Delivery log"))
    def log(self, obj: WebhookSubscription) -> str:
        url = reverse("admin:partners_webhookdelivery_changelist") + f"?subscription__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Deliveries"))

    def save_model(self, request: HttpRequest, obj: WebhookSubscription, form: Any, change: bool) -> None:
        secret = None
        if not change:
            secret = obj.secret = new_secret()
            obj.created_at = clock.now()
        super().save_model(request, obj, form, change)
        if secret is not None:
            messages.success(
                request,
                _(
                    "The signing secret of this subscription is %(secret)s — give it to the partner now: "
                    "it is not shown again."
                )
                % {"secret": secret},
            )

    @admin.action(description=_("Resume selected paused subscriptions"), permissions=["change"])
    def resume(self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]) -> None:
        resumed = subscriptions_resume(queryset.values_list("pk", flat=True))
        sweep_webhook_deliveries.enqueue()
        said = ngettext("Resumed %(count)d subscription.", "Resumed %(count)d subscriptions.", resumed) % {
            "count": resumed
        }
        self.message_user(request, said, messages.SUCCESS)


class WebhookAttemptInline(admin.TabularInline[WebhookAttempt, WebhookDelivery]):
    model = WebhookAttempt
    fields = ("at", "status_code", "duration_ms", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: WebhookDelivery | None = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    """The delivery log: every event sent (or being retried) to each subscription, and each attempt."""

    list_display = [
        "created_at",
        "subscription",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    ]
    list_filter = ["status", "event_type", "subscription"]
    list_select_related = ["subscription__key"]
    search_fields = ["message_id", "source"]
    actions = ["replay"]
    inlines = [WebhookAttemptInline]
    fields = (
        "subscription", "event_type", "source", "message_id", "status", "attempts", "created_at",
        "next_attempt_at", "delivered_at", "last_status_code", "last_error", "body",
    )  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Replay selected deliveries"), permissions=["change"])
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        queued = deliveries_replay(queryset.values_list("pk", flat=True))
        deliver_webhooks.enqueue(queued)
        said = ngettext("Replaying %(count)d delivery.", "Replaying %(count)d deliveries.", len(queued))
        self.message_user(request, said % {"count": len(queued)}, messages.SUCCESS)

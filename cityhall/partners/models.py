"""Partner credentials: one key per partner, with its scopes and per-minute limit, for Open311 and the JSON API.

The tables were created by the Open311 app and keep its names (`open311_*`): the models moved here, a
layer below the interfaces, when a second interface (the JSON API) needed the same keys.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityhall.requests.access import DEFAULT_PARTNER_SCOPES, Partner, PartnerScope


def hash_key(key: str) -> str:
    """Keys are 256-bit random strings, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(key.encode()).hexdigest()


def default_scopes() -> list[str]:
    return [scope.value for scope in DEFAULT_PARTNER_SCOPES]


def validate_scopes(value: object) -> None:
    known = set(PartnerScope.values)
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise ValidationError("Give the key at least one scope.")
    unknown = sorted(set(value) - known)
    if unknown:
        raise ValidationError(f"Unknown scope {', '.join(unknown)}; the scopes are {', '.join(PartnerScope.values)}.")


class ApiKey(models.Model):
    """A partner's key. Only its hash is stored; the key itself is shown once, when it is issued."""

    name = models.CharField(
        verbose_name=_("partner"),
        max_length=120,
        unique=True,
        help_text=_("The partner, e.g. 'FixMyStreet Santa Monica'."),
    )
    contact_email = models.EmailField(verbose_name=_("contact email"), blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(
        verbose_name=_("key starts with"),
        max_length=12,
        editable=False,
        help_text=_("The first characters, to recognize a key."),
    )
    jurisdiction = models.ForeignKey(
        "catalogue.Jurisdiction",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Limit the key to one jurisdiction; empty means any jurisdiction of this deployment."),
    )
    scopes = models.JSONField(
        verbose_name=_("may write"),
        default=default_scopes,
        validators=[validate_scopes],
        help_text="What the key may do: " + "; ".join(f"{s.value}: {s.label}" for s in PartnerScope) + ".",
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        verbose_name=_("calls per minute"),
        default=60,
        validators=[MinValueValidator(1)],
        help_text=_("Calls allowed per minute: Open311 POSTs and every JSON API call, counted together."),
    )
    created_at = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(
        verbose_name=_("revoked"),
        null=True,
        blank=True,
        help_text=_("Set to revoke the key; a revoked key is refused."),
    )
    last_used_at = models.DateTimeField(verbose_name=_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        db_table = "open311_apikey"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def partner(self) -> Partner:
        """The key as the access rules see it (cityhall.requests.access decides what it may do)."""
        return Partner.of(self.name, self.scopes)

    def issue(self) -> str:
        """Give this row a new key and return it (to show once); the caller saves the row."""
        key = secrets.token_urlsafe(32)
        self.key_hash = hash_key(key)
        self.key_hint = key[:8]
        return key


class ApiKeyUsage(models.Model):
    """Calls counted per key per minute, so the rate limit holds across every web process."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "open311_apikeyusage"
        constraints = [models.UniqueConstraint(fields=["key", "minute"], name="api_key_usage_minute")]

    def __str__(self) -> str:
        return f"{self.key_id} @ {self.minute:%Y-%m-%d %H:%M}: {self.count}"


class IdempotentWrite(models.Model):
    """The first answer to a write sent with an Idempotency-Key (or FixMyStreet's update_id), Open311 or JSON API.

    One row per key and token, enforced by the database: two identical POSTs racing each other both
    try to insert it, and the loser waits for the winner's transaction and replays its answer. Rows
    older than partners.idempotency.KEPT_FOR are ignored and swept by the periodic housekeeping.
    """

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="writes")
    token = models.CharField(
        max_length=300, help_text="A prefix per interface, then the Idempotency-Key or the update_id."
    )
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of what the write asked for, without the key.")
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField()

    class Meta:
        db_table = "open311_idempotentwrite"
        constraints = [models.UniqueConstraint(fields=["key", "token"], name="idempotent_write_key_token")]
        indexes = [models.Index(fields=["created_at"], name="idempotent_write_created")]

    def __str__(self) -> str:
        return f"{self.key_id}: {self.token}"


class WebhookSubscription(models.Model):
    """A partner's receiver for some event types, optionally only of some categories and zones.

    The secret signs every delivery (Standard Webhooks). It must be kept to sign, so it is stored as
    issued; it is shown once when the subscription is created and never logged or served again.
    """

    key = models.ForeignKey(ApiKey, verbose_name=_("API key"), on_delete=models.CASCADE, related_name="webhooks")
    url = models.CharField(
        verbose_name=_("receiving address"),
        max_length=2000,
        help_text=_("Where deliveries are POSTed: https:// (or http://)."),
    )
    event_types = models.JSONField(
        verbose_name=_("event types"), help_text=_("The event types sent (docs/webhooks.md).")
    )
    services = models.ManyToManyField(
        "catalogue.Service",
        verbose_name=_("services"),
        blank=True,
        related_name="+",
        help_text=_("Only these categories; none means all."),
    )
    zones = models.ManyToManyField(
        "catalogue.Zone",
        verbose_name=_("zones"),
        blank=True,
        related_name="+",
        help_text=_("Only requests in these zones; none means all."),
    )
    digital_services = models.ManyToManyField(
        "applications.DigitalService",
        verbose_name=_("digital services"),
        blank=True,
        related_name="+",
        help_text=_("Application events: only these digital services; none means all."),
    )
    description = models.CharField(verbose_name=_("description"), max_length=200, blank=True)
    secret = models.CharField(max_length=60, editable=False)
    created_at = models.DateTimeField(
        verbose_name=_("created"),
    )
    consecutive_failures = models.PositiveIntegerField(verbose_name=_("failures in a row"), default=0, editable=False)
    paused_at = models.DateTimeField(
        verbose_name=_("paused"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set after repeated failures; nothing is sent until resumed."),
    )

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["key__name", "pk"]

    def __str__(self) -> str:
        return f"{self.key.name}: {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one subscription, in the outbox until the receiver answers 2xx or the attempts run out.

    The body is stored as sent, so every attempt (and a replay) sends the same bytes under the same
    webhook-id, and the receiver can drop duplicates.
    """

    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    source = models.CharField(
        verbose_name=_("cause"),
        max_length=120,
        help_text=_("What caused it, once per subscription: event:<id>:<type>."),
    )
    event_type = models.CharField(verbose_name=_("event type"), max_length=40)
    message_id = models.CharField(verbose_name=_("message ID"), max_length=40, unique=True)
    body = models.TextField(
        verbose_name=_("content sent"),
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(verbose_name=_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        verbose_name=_("next attempt"),
    )
    claimed_at = models.DateTimeField(verbose_name=_("sending started"), null=True, blank=True)
    created_at = models.DateTimeField(
        verbose_name=_("created"),
    )
    delivered_at = models.DateTimeField(verbose_name=_("delivered"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(verbose_name=_("last answer code"), null=True, blank=True)
    last_error = models.CharField(verbose_name=_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "source"], name="webhook_delivery_once"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.status})"


class WebhookAttempt(models.Model):
    """The delivery log: each attempt, with what the receiver answered and how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(
        verbose_name=_("when"),
    )
    status_code = models.PositiveSmallIntegerField(verbose_name=_("answer code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(
        verbose_name=_("took (ms)"),
    )
    error = models.CharField(verbose_name=_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error}"

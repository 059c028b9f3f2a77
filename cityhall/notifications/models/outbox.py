"""The outbox: one row per message CityHall means to send, and the addresses that asked for none.

Addresses are stored because the sender needs them, but they are contact details: only the admin
shows them, and no public page or API reads these tables.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Web push")


class RecipientKind(models.TextChoices):
    """Why this person hears about the request."""

    REPORTER = "reporter", _("Reporter")
    SUPPORTER = "supporter", _("Supporter")
    FOLLOWER = "follower", _("Follower")
    WATCHER = "watcher", _("Area watcher")
    ASSIGNEE = "assignee", _("Assignee")
    SUPERVISOR = "supervisor", _("Supervisor")
    # An application for a digital service: the person who applied (cityhall.applications).
    APPLICANT = "applicant", _("Applicant")
    # Digests: the person, not their relation to one request.
    RESIDENT = "resident", _("Resident (daily digest)")
    STAFF = "staff", _("Staff member (daily digest)")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    # Claimed by one task run, which is talking to the provider now. A row left here by a worker
    # killed mid-send is not retried: it may have gone out, and nothing is ever sent twice.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
    # Waiting for the person's daily digest (their preference); `digest` names it once it is made.
    HELD = "held", _("Held for the daily digest")


class Message(models.Model):
    channel = models.CharField(verbose_name=_("sent by"), max_length=8, choices=Channel.choices)
    recipient_kind = models.CharField(verbose_name=_("recipient"), max_length=16, choices=RecipientKind.choices)
    address = models.CharField(
        verbose_name=_("address"), max_length=254, help_text=_("Email address or phone number: never shown publicly.")
    )
    language = models.CharField(verbose_name=_("language"), max_length=8, default="en")
    template = models.CharField(
        verbose_name=_("kind of message"),
        max_length=32,
        help_text=_("The message kind: templates/notifications/<template>/."),
    )
    # Empty for digests (many requests) and SLA warnings (no event: the clock ran).
    request = models.ForeignKey(
        "requests.ServiceRequest",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    event = models.ForeignKey(
        "requests.RequestEvent",
        verbose_name=_("request update"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=8, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(verbose_name=_("attempts"), default=0)
    provider_id = models.CharField(
        verbose_name=_("provider's message ID"),
        max_length=200,
        blank=True,
        help_text=_("Message-ID (email) or SID (SMS)."),
    )
    last_error = models.TextField(
        verbose_name=_("last error"), blank=True, help_text=_("The last failure, or why the message was skipped.")
    )
    # A hash of what makes the message unique (see storing.idempotency_key): inserting the same
    # message twice fails on this index, whichever task run tries.
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(
        verbose_name=_("created"),
    )
    claimed_at = models.DateTimeField(verbose_name=_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(verbose_name=_("sent"), null=True, blank=True)
    # A held message, once its daily digest is made: the digest carries it.
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried")
    data = models.JSONField(
        verbose_name=_("details"), default=dict, blank=True, help_text=_("What a digest or an SLA warning is about.")
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        app_label = "notifications"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="message_status_created"),
            models.Index(fields=["channel", "address"], name="message_channel_address"),
        ]

    def __str__(self) -> str:
        about = f" of {self.request_id}" if self.request_id else ""
        return f"{self.template} by {self.channel} to the {self.recipient_kind}{about}"


class Unsubscribe(models.Model):
    """An address that asked for no more messages on a channel (one click, no sign-in needed)."""

    channel = models.CharField(verbose_name=_("sent by"), max_length=8, choices=Channel.choices)
    address = models.CharField(verbose_name=_("address"), max_length=254)
    created_at = models.DateTimeField(
        verbose_name=_("created"),
    )

    class Meta:
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")
        app_label = "notifications"
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="unsubscribe_unique")]

    def __str__(self) -> str:
        return f"{self.channel} unsubscribe"

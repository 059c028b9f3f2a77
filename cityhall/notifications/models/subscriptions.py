"""What people asked to hear, and how: preferences, follows, area alerts, devices; and the SLA warnings given.

Addresses here are contact details like the outbox's: only the admin and the person themselves see them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .outbox import Channel


class Delivery(models.TextChoices):
    INSTANT = "instant", _("As it happens")
    DAILY = "daily", _("In one daily digest")


class Topic(models.TextChoices):
    """What a resident may turn off, in their words; TOPIC_TEMPLATES maps each to message kinds."""

    RECEIPT = "receipt", _("Receipt of a request I make")
    TAKEN_UP = "taken_up", _("A department or a person takes it up")
    REPLY = "reply", _("Replies from city staff")
    ON_HOLD = "on_hold", _("It is put on hold")
    RESOLVED = "resolved", _("It is resolved")
    CLOSED = "closed", _("It is closed")
    REOPENED = "reopened", _("It is reopened")


TOPIC_TEMPLATES: dict[str, str] = {
    "receipt": Topic.RECEIPT,
    "routed": Topic.TAKEN_UP,
    "assigned": Topic.TAKEN_UP,
    "reply": Topic.REPLY,
    "on_hold": Topic.ON_HOLD,
    "resolved": Topic.RESOLVED,
    "closed": Topic.CLOSED,
    "reopened": Topic.REOPENED,
}


class Preference(models.Model):
    """A signed-in person's choices. No row means the defaults: email, as it happens, everything."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.INSTANT)
    # Turned-off topics (not turned-on ones), so a kind of message added later reaches people by default.
    muted = models.JSONField(default=list, blank=True, help_text="Topics turned off.")
    staff_digest = models.BooleanField(default=True, help_text="Staff: a daily summary of open and overdue work.")
    weekly_digest = models.BooleanField(
        default=True, help_text="Supervisors: a weekly digest of their department's figures."
    )
    updated_at = models.DateTimeField()

    class Meta:
        app_label = "notifications"

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class Follow(models.Model):
    """Someone who asked to hear a request's outcome. By email, confirmed by a link unless signed in."""

    request = models.ForeignKey("requests.ServiceRequest", on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    email = models.EmailField()
    language = models.CharField(max_length=8, default="en")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        app_label = "notifications"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["request", "email"], name="follow_unique")]

    def __str__(self) -> str:
        return f"follow of {self.request_id}"


class AreaAlert(models.Model):
    """A resident watching a neighbourhood, or a circle around a point, for some categories (none: all)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_alerts")
    zone = models.ForeignKey("catalogue.Zone", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    # The circle's bounding box: the database finds the candidate circles, the exact distance decides.
    min_lat = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    min_lng = models.FloatField(null=True, blank=True)
    max_lng = models.FloatField(null=True, blank=True)
    services = models.ManyToManyField("catalogue.Service", blank=True, related_name="+")
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.INSTANT)
    created_at = models.DateTimeField()

    class Meta:
        app_label = "notifications"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["zone"], name="areaalert_zone"),
            models.Index(fields=["min_lat", "max_lat"], name="areaalert_box"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(zone__isnull=False, lat__isnull=True)
                | models.Q(zone__isnull=True, lat__isnull=False, lng__isnull=False, radius_m__isnull=False),
                name="areaalert_zone_or_circle",
            )
        ]

    def __str__(self) -> str:
        return f"area alert {self.pk}"


class PushSubscription(models.Model):
    """One browser or installed app that accepted web push for a signed-in person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "notifications"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"push device {self.pk}"


class SlaWarning(models.Model):
    """A threshold of a request's SLA that was crossed and told: once per request and threshold.

    A reopen starts a new SLA, so the request's rows are removed then (the outbox keeps the messages).
    """

    class Threshold(models.TextChoices):
        WARNING = "warning", "75% of the time allowed"
        BREACH = "breach", "Overdue"

    request = models.ForeignKey("requests.ServiceRequest", on_delete=models.CASCADE, related_name="+")
    threshold = models.CharField(max_length=8, choices=Threshold.choices)
    expected_at = models.DateTimeField(help_text="The expected-by moment it was about.")
    created_at = models.DateTimeField()

    class Meta:
        app_label = "notifications"
        constraints = [models.UniqueConstraint(fields=["request", "threshold"], name="slawarning_unique")]

    def __str__(self) -> str:
        return f"{self.threshold} on {self.request_id}"

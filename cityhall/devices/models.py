"""The device registry, what devices send, and what the rules make of it. Only this app queries these tables."""

from __future__ import annotations

import hashlib
import secrets

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .kinds import Kind
from .senml import Reason


def hash_credential(credential: str) -> str:
    """Credentials are 256-bit random strings, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(credential.encode()).hexdigest()


class Device(models.Model):
    """A sensor or controller in the street, with its own credential; what it raises goes to `service`."""

    device_id = models.CharField(
        _("device id"),
        max_length=64,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("Lowercase letters, digits and hyphens."))],
        help_text=_("Its name in SenML and MQTT topics, e.g. bin-0042."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lng = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    location_reported = models.BooleanField(
        _("location reported"),
        default=False,
        help_text=_("The device sends its position (lat, lon) with its readings."),
    )
    department = models.ForeignKey(
        "catalogue.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner department")
    )
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
        help_text=_("The service of the requests it raises."),
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        _("messages per minute"), default=12, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    offline_after_minutes = models.PositiveIntegerField(
        _("offline after (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)],
        help_text=_("Silent this long, it raises a 'device offline' request."),
    )
    credential_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    credential_hint = models.CharField(
        verbose_name=_("credential starts with"), max_length=12, blank=True, editable=False
    )
    credential_revoked_at = models.DateTimeField(_("credential revoked"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, editable=False)
    # The newest stored reading's time: a message not newer than it is a replay.
    last_reading_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The rate limit's current minute and its count, kept on the row (one conditional UPDATE a message).
    window_start = models.DateTimeField(null=True, blank=True, editable=False)
    window_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["device_id"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self) -> str:
        return self.device_id

    def issue_credential(self) -> str:
        """Give this row a new credential (the old one stops working) and return it, to show once."""
        credential = secrets.token_urlsafe(32)
        self.credential_hash = hash_credential(credential)
        self.credential_hint = credential[:8]
        self.credential_revoked_at = None
        return credential


class Measurement(models.Model):
    """One value a device sent: small columns, one row per value, swept after the retention period."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+", db_index=False)
    name = models.CharField(max_length=32)
    at = models.DateTimeField()
    value = models.FloatField()

    class Meta:
        # (device, at) first: the partners' readings pages ask for every measure of a device newest first.
        constraints = [models.UniqueConstraint(fields=["device", "at", "name"], name="measurement_device_at_name")]
        indexes = [models.Index(fields=["at"], name="measurement_at")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.name}={self.value:g} @ {self.at:%Y-%m-%d %H:%M:%S}"


class Rejection(models.Model):
    """Messages refused per device and reason, with the latest one's explanation."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+", db_index=False)
    reason = models.CharField(max_length=16, choices=[(reason.value, reason.value) for reason in Reason])
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)
    last_detail = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "reason"], name="rejection_device_reason")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.reason}: {self.count}"


class Comparison(models.TextChoices):
    ABOVE = "above", _("above")
    BELOW = "below", _("below")


class Rule(models.Model):
    """When a kind's reading means work for the city: city policy, kept as data and edited in the admin.

    The condition holds while the value is beyond `threshold`; a request opens once it has held for
    `for_seconds`, outside quiet hours. It clears once the value is back past the threshold by
    `hysteresis` and stays there for `clear_after_seconds`.
    """

    name = models.CharField(_("name"), max_length=120, help_text=_("Said on the request, e.g. 'Bin nearly full'."))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    measure = models.CharField(_("measure"), max_length=32, help_text=_("The SenML name, e.g. fill."))
    comparison = models.CharField(_("comparison"), max_length=8, choices=Comparison.choices, default=Comparison.ABOVE)
    threshold = models.FloatField(_("threshold"))
    hysteresis = models.FloatField(_("hysteresis"), default=0, validators=[MinValueValidator(0)])
    for_seconds = models.PositiveIntegerField(_("holds for (seconds)"), default=0)
    clear_after_seconds = models.PositiveIntegerField(_("clears after (seconds)"), default=0)
    answers = models.JSONField(
        _("answers"),
        default=dict,
        blank=True,
        help_text=_('Answers to the service\'s questions, by code, e.g. {"PROBLEM": "OUT"}.'),
    )
    quiet_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    # In context: auth's bare "active" is a user's, masculine in Spanish ("activo"); a rule is "activa".
    active = models.BooleanField(pgettext_lazy("rule", "active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.name


class Alarm(models.Model):
    """One condition of one device (a rule, or being offline) and the one request open for it, if any.

    Unique per device and condition; written only while the device's row is locked, so at most one
    request is ever open for a device and condition.
    """

    OFFLINE = "offline"

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+", db_index=False)
    condition = models.CharField(max_length=24, help_text="rule-<id>, or offline.")
    breaching = models.BooleanField(default=False)
    breach_since = models.DateTimeField(null=True, blank=True)
    clear_since = models.DateTimeField(null=True, blank=True)
    service_request = models.ForeignKey(
        "requests.ServiceRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "condition"], name="alarm_device_condition")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.condition}"

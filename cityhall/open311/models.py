"""API keys for partners that post requests through Open311."""

from __future__ import annotations

import hashlib
import secrets

from django.core.validators import MinValueValidator
from django.db import models


def hash_key(key: str) -> str:
    """Keys are 256-bit random strings, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKey(models.Model):
    """A partner's key. Only its hash is stored; the key itself is shown once, when it is issued."""

    name = models.CharField(max_length=120, unique=True, help_text="The partner, e.g. 'FixMyStreet Santa Monica'.")
    contact_email = models.EmailField(blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(max_length=12, editable=False, help_text="The first characters, to recognise a key.")
    jurisdiction = models.ForeignKey(
        "catalogue.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Limit the key to one jurisdiction; empty means any jurisdiction of this deployment.",
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        default=60, validators=[MinValueValidator(1)], help_text="POSTs allowed per minute."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Set to revoke the key; revoked keys get 403.")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def issue(self) -> str:
        """Give this row a new key and return it (to show once); the caller saves the row."""
        key = secrets.token_urlsafe(32)
        self.key_hash = hash_key(key)
        self.key_hint = key[:8]
        return key


class ApiKeyUsage(models.Model):
    """POSTs counted per key per minute, so the rate limit holds across every web process."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "minute"], name="api_key_usage_minute")]

    def __str__(self) -> str:
        return f"{self.key_id} @ {self.minute:%Y-%m-%d %H:%M}: {self.count}"

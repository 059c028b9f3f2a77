"""The audit of erasures: that an account was deleted or details were anonymised, and when — never whose."""

from __future__ import annotations

from django.db import models


class Erasure(models.Model):
    """One deleted account (the requests' own timelines also get a note each). Holds no personal data."""

    class Reason(models.TextChoices):
        ACCOUNT_DELETED = "account_deleted", "The resident deleted their account"

    reason = models.CharField(max_length=32, choices=Reason.choices)
    erased_at = models.DateTimeField(db_index=True)
    requests_anonymised = models.PositiveIntegerField(default=0)
    messages_forgotten = models.PositiveIntegerField(default=0, help_text="Outbox rows whose address was erased.")

    class Meta:
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.erased_at:%Y-%m-%d})"

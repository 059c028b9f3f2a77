"""The audit of erasures: that an account was deleted or details were anonymised, and when — never whose."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    """One deleted account (the requests' own timelines also get a note each). Holds no personal data."""

    class Reason(models.TextChoices):
        ACCOUNT_DELETED = "account_deleted", _("The resident deleted their account")

    reason = models.CharField(verbose_name=_("reason"), max_length=32, choices=Reason.choices)
    erased_at = models.DateTimeField(verbose_name=_("erased"), db_index=True)
    requests_anonymised = models.PositiveIntegerField(verbose_name=_("requests made anonymous"), default=0)
    messages_forgotten = models.PositiveIntegerField(
        verbose_name=_("messages forgotten"), default=0, help_text=_("Sent messages whose address was erased.")
    )

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.erased_at:%Y-%m-%d})"

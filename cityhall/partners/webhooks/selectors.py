"""What other code reads of the webhooks: a key's subscriptions (the JSON API lists them)."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import ApiKey, WebhookSubscription


def subscriptions_of(key: ApiKey) -> QuerySet[WebhookSubscription]:
    """This key's subscriptions, oldest first, with their categories, zones and digital services."""
    return (
        WebhookSubscription.objects.filter(key=key)
        .order_by("pk")
        .prefetch_related("services", "zones", "digital_services")
    )

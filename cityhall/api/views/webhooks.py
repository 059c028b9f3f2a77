"""A key's webhook subscriptions (scope webhooks): list, create (the secret is in that answer only), delete.

The events, payloads and signatures are cityhall.partners.webhooks' (docs/webhooks.md); staff manage
every partner's subscriptions, and resume and replay, in the admin.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Path

from cityhall.applications.selectors import digital_service_ids
from cityhall.catalogue.selectors import catalogue_labels, zones_of
from cityhall.core.problem_details import Problem
from cityhall.partners.models import WebhookSubscription
from cityhall.partners.webhooks import selectors as webhook_selectors
from cityhall.partners.webhooks import services as webhooks
from cityhall.requests import access

from .. import serialize
from ..auth import caller_of
from ..schemas import REFUSALS, WebhookCreated, WebhookIn, WebhookOut

router = Router(tags=["webhooks"])


@router.get("", response={200: list[WebhookOut], **REFUSALS}, summary="List this key's webhook subscriptions")
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    caller = caller_of(request)
    access.partner_may_manage_webhooks(caller.partner)
    return [_body(subscription) for subscription in webhook_selectors.subscriptions_of(caller.key)]


@router.post(
    "",
    response={201: WebhookCreated, **REFUSALS},
    summary="Subscribe to events (scope webhooks); the answer holds the signing secret, shown once",
)
def create_webhook(request: HttpRequest, body: WebhookIn) -> HttpResponse:
    caller = caller_of(request)
    access.partner_may_manage_webhooks(caller.partner)
    service_ids = catalogue_labels(caller.jurisdiction.pk).service_ids
    zone_ids = {zone.slug: zone.pk for zone in zones_of(caller.jurisdiction.pk)}
    digital_ids = digital_service_ids(list(body.application_services)) if body.application_services else {}
    errors = [
        {"field": f"{field}.{index}", "message": f"No {what} “{value}” in this city."}
        for field, what, known, values in (
            ("service_codes", "public category", service_ids, body.service_codes),
            ("zones", "zone", zone_ids, body.zones),
            ("application_services", "digital service", digital_ids, body.application_services),
        )
        for index, value in enumerate(values)
        if value not in known
    ]
    if errors:
        raise Problem(422, "Some fields are not valid.", code="invalid", errors=errors)
    subscription, secret = webhooks.subscription_create(
        key=caller.key,
        url=body.url,
        event_types=[event_type.value for event_type in body.event_types],
        service_ids=[service_ids[code] for code in body.service_codes],
        zone_ids=[zone_ids[slug] for slug in body.zones],
        digital_service_ids=[digital_ids[code] for code in body.application_services],
        description=body.description,
    )
    created = webhook_selectors.subscriptions_of(caller.key).get(pk=subscription.pk)
    return serialize.json_response(WebhookCreated, {**_body(created), "secret": secret}, status=201)


@router.delete("/{subscription_id}", response={204: None, **REFUSALS}, summary="Delete one of this key's subscriptions")
def delete_webhook(request: HttpRequest, subscription_id: int = Path(..., ge=1, le=2**63 - 1)) -> HttpResponse:
    caller = caller_of(request)
    access.partner_may_manage_webhooks(caller.partner)
    webhooks.subscription_delete(key=caller.key, subscription_id=subscription_id)
    return HttpResponse(status=204)


def _body(subscription: WebhookSubscription) -> dict[str, Any]:
    return {
        "id": subscription.pk,
        "url": subscription.url,
        "event_types": subscription.event_types,
        "service_codes": sorted(service.code for service in subscription.services.all()),
        "zones": sorted(zone.slug for zone in subscription.zones.all()),
        "application_services": sorted(service.code for service in subscription.digital_services.all()),
        "description": subscription.description,
        "created_at": subscription.created_at,
        "paused": subscription.paused_at is not None,
    }

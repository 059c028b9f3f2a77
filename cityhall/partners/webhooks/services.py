"""Every write of the webhooks: subscriptions, the outbox of deliveries, and each attempt's log line.

Deliveries are stored once per (subscription, cause), claimed with a conditional UPDATE (pending →
sending) so two runs never send one twice, and retried with exponential backoff by the periodic
sweep; a subscription whose deliveries keep failing is paused, and nothing else is told.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from cityhall.applications import selectors as application_selectors
from cityhall.applications.models import Application
from cityhall.catalogue.selectors import site_city
from cityhall.core import clock
from cityhall.core.errors import NotFound, ValidationFailed
from cityhall.requests import selectors as request_selectors
from cityhall.requests.access import PartnerScope

from ..models import ApiKey, DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from . import events, sending, signing
from .addresses import AddressRefused, check_url
from .events import EventType

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_WAIT = timedelta(minutes=1)
MAX_WAIT = timedelta(hours=12)
# A row left "sending" this long lost its worker mid-attempt; the sweep makes it pending again.
STUCK_AFTER = timedelta(minutes=10)
DESCRIPTION_MAX = 200
MAX_PER_KEY = 20
NEEDS_APPLICATIONS_SCOPE = "The application.* event types need a key with the applications scope."


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 1, 4, 16, 64 minutes… at most 12 hours (about 22 h in all)."""
    wait: timedelta = FIRST_WAIT * 4 ** (attempts - 1)
    return min(wait, MAX_WAIT)


# ---------------------------------------------------------------- subscriptions


def subscription_create(
    *,
    key: ApiKey,
    url: str,
    event_types: Sequence[str],
    service_ids: Sequence[int] = (),
    zone_ids: Sequence[int] = (),
    digital_service_ids: Sequence[int] = (),
    description: str = "",
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret (show it once). ValidationFailed names each bad field; nothing written.

    The categories and zones are ids the caller found in the key's city (the JSON API by code and slug).
    """
    errors: dict[str, str] = {}
    url = url.strip()
    try:
        check_url(url)
    except AddressRefused as refused:
        errors["url"] = str(refused)
    wanted = sorted(set(event_types))
    unknown = [name for name in wanted if name not in EventType.values]
    if not wanted or unknown:
        errors["event_types"] = (
            f"Unknown event type {', '.join(unknown)}; " if unknown else "Choose at least one event type; "
        ) + f"the types are {', '.join(EventType.values)}."
    elif set(wanted) & events.APPLICATION_TYPES and PartnerScope.APPLICATIONS not in key.scopes:
        errors["event_types"] = NEEDS_APPLICATIONS_SCOPE
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = f"At most {DESCRIPTION_MAX} characters."
    if WebhookSubscription.objects.filter(key=key).count() >= MAX_PER_KEY:
        errors["url"] = f"A key may have at most {MAX_PER_KEY} subscriptions; delete one first."
    if errors:
        raise ValidationFailed(errors)
    secret = signing.new_secret()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            key=key, url=url, event_types=wanted, description=description, secret=secret, created_at=clock.now()
        )
        subscription.services.set(sorted(set(service_ids)))
        subscription.zones.set(sorted(set(zone_ids)))
        subscription.digital_services.set(sorted(set(digital_service_ids)))
    return subscription, secret


def subscription_delete(*, key: ApiKey, subscription_id: int) -> None:
    """Delete one of this key's subscriptions (and its log); NotFound for another key's, as for a missing one."""
    deleted, _ = WebhookSubscription.objects.filter(pk=subscription_id, key=key).delete()
    if not deleted:
        raise NotFound("There is no such webhook subscription.", field="id")


def subscriptions_resume(subscription_ids: Iterable[int]) -> int:
    """Resume paused subscriptions: their pending deliveries are due at once (the sweep sends them)."""
    ids = list(subscription_ids)
    now = clock.now()
    with transaction.atomic():
        resumed = WebhookSubscription.objects.filter(pk__in=ids, paused_at__isnull=False).update(
            paused_at=None, consecutive_failures=0
        )
        WebhookDelivery.objects.filter(subscription_id__in=ids, status=DeliveryStatus.PENDING).update(
            next_attempt_at=now
        )
    return resumed


def deliveries_replay(delivery_ids: Iterable[int]) -> list[int]:
    """Send these deliveries again, same body and webhook-id, with a fresh round of attempts; returns those queued."""
    ids = list(delivery_ids)
    WebhookDelivery.objects.filter(pk__in=ids).exclude(status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=clock.now(), claimed_at=None
    )
    return list(WebhookDelivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).values_list("pk", flat=True))


# ---------------------------------------------------------------- the outbox


def deliveries_plan(event_ids: Sequence[int]) -> list[int]:
    """Store a delivery for each subscription that wants each of these request events; their ids, to send.

    Idempotent: a second run finds the rows (one per subscription and cause) and stores none again.
    """
    found = request_selectors.partner_events(event_ids)
    if not found:
        return []
    subscriptions = _listening()
    planned = []
    for item in found:
        for event_type in events.types_of(item.event):
            body = events.envelope(event_type, item.event["created_at"], events.request_data(item))
            source = f"event:{item.event['id']}:{event_type}"
            where = (item.jurisdiction_id, item.service_id, item.zone_id)
            planned += [
                _delivery(subscription, source, event_type, body)
                for subscription in subscriptions
                if _wants(subscription, event_type, *where)
            ]
    return _store(planned)


def application_deliveries_plan(event_ids: Sequence[int]) -> list[int]:
    """Store a delivery for each subscription that wants each of these application events; their ids, to send.

    Only keys holding the applications scope hear them (checked now, not only when subscribing: a
    scope taken away stops the deliveries). Idempotent like deliveries_plan.
    """
    found = [
        event
        for event in application_selectors.events_by_ids(list(event_ids))
        if event.kind in events.APPLICATION_KIND_TYPES
    ]
    if not found:
        return []
    subscriptions = [
        subscription for subscription in _listening() if PartnerScope.APPLICATIONS in subscription.key.scopes
    ]
    planned = []
    for event in found:
        event_type = events.APPLICATION_KIND_TYPES[event.kind]
        city = _city_of(event.application)
        application = application_selectors.partner_application(city, event.application.reference)
        if application is None:
            continue
        body = events.envelope(event_type, event.at, events.application_data(application, event))
        source = f"application-event:{event.pk}:{event_type}"
        planned += [
            _delivery(subscription, source, event_type, body)
            for subscription in subscriptions
            if _wants_application(subscription, event_type, city, application.service_id)
        ]
    return _store(planned)


def _city_of(application: Application) -> int:
    """The city of an application: its service's department's, or the site's for a service without one."""
    department = application.service.department
    if department is not None:
        return department.jurisdiction_id
    city = site_city()
    return city.pk if city is not None else 0


def _wants_application(
    subscription: WebhookSubscription, event_type: str, jurisdiction_id: int, digital_service_id: int
) -> bool:
    if event_type not in subscription.event_types:
        return False
    if subscription.key.jurisdiction_id not in (None, jurisdiction_id):
        return False
    wanted = {service.pk for service in subscription.digital_services.all()}
    return not wanted or digital_service_id in wanted


def webhook_event_publish(
    event_type: EventType,
    *,
    source: str,
    at: datetime,
    data: dict[str, Any],
    jurisdiction_id: int,
    service_id: int | None = None,
    zone_id: int | None = None,
) -> list[int]:
    """For other apps' events (the devices' alarms): store a delivery per subscription that wants it; their ids.

    `source` names the cause once (e.g. "alarm:<id>"), so publishing twice stores nothing twice; `data`
    must hold only what any partner may read. Call it after commit, then send with the tasks'
    `deliver_webhooks`. A filter by category or zone matches only an event that names one.
    """
    body = events.envelope(event_type, at, data)
    return _store(
        [
            _delivery(subscription, f"{source}:{event_type}", event_type, body)
            for subscription in _listening()
            if _wants(subscription, event_type, jurisdiction_id, service_id, zone_id)
        ]
    )


def _listening() -> list[WebhookSubscription]:
    subscriptions = WebhookSubscription.objects.filter(paused_at__isnull=True, key__revoked_at__isnull=True)
    return list(subscriptions.select_related("key").prefetch_related("services", "zones", "digital_services"))


def _wants(
    subscription: WebhookSubscription,
    event_type: str,
    jurisdiction_id: int,
    service_id: int | None,
    zone_id: int | None,
) -> bool:
    if event_type not in subscription.event_types:
        return False
    if subscription.key.jurisdiction_id not in (None, jurisdiction_id):
        return False
    services = {service.pk for service in subscription.services.all()}
    zones = {zone.pk for zone in subscription.zones.all()}
    return (not services or service_id in services) and (not zones or zone_id in zones)


def _delivery(subscription: WebhookSubscription, source: str, event_type: str, body: bytes) -> WebhookDelivery:
    now = clock.now()
    return WebhookDelivery(
        subscription=subscription,
        source=source,
        event_type=event_type,
        message_id=signing.new_message_id(),
        body=body.decode(),
        next_attempt_at=now,
        created_at=now,
    )


def _store(planned: list[WebhookDelivery]) -> list[int]:
    if not planned:
        return []
    WebhookDelivery.objects.bulk_create(planned, ignore_conflicts=True)
    # Those never tried: a second run of the same plan finds its rows already under way.
    stored = WebhookDelivery.objects.filter(
        source__in={row.source for row in planned}, status=DeliveryStatus.PENDING, attempts=0
    )
    return list(stored.order_by("pk").values_list("pk", flat=True))


# ---------------------------------------------------------------- sending


def delivery_attempt(delivery_id: int) -> str:
    """One attempt, if the delivery is due and its subscription not paused; returns its status afterwards."""
    now = clock.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=DeliveryStatus.PENDING,
        next_attempt_at__lte=now,
        subscription__paused_at__isnull=True,
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return _status_of(delivery_id)
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    body = delivery.body.encode()
    # The signature's time is the real time of sending (receivers compare it with their own clock).
    headers = signing.headers(subscription.secret, delivery.message_id, int(time.time()), body)
    outcome = sending.post(subscription.url, body, headers)
    # The log line, the outcome and the subscription's count in one commit.
    with transaction.atomic():
        return _record(delivery, outcome, now)


def _record(delivery: WebhookDelivery, outcome: sending.Outcome, now: datetime) -> str:
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        error=outcome.error[:500],
    )
    if outcome.ok:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=clock.now(),
            last_status_code=outcome.status_code,
            last_error="",
        )
        WebhookSubscription.objects.filter(pk=delivery.subscription_id, consecutive_failures__gt=0).update(
            consecutive_failures=0
        )
        return DeliveryStatus.DELIVERED
    gave_up = delivery.attempts >= MAX_ATTEMPTS
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING,
        next_attempt_at=now + backoff(delivery.attempts),
        last_status_code=outcome.status_code,
        last_error=outcome.error[:500],
    )
    _count_failure(delivery.subscription_id, now)
    return DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING


def _count_failure(subscription_id: int, now: datetime) -> None:
    WebhookSubscription.objects.filter(pk=subscription_id).update(consecutive_failures=F("consecutive_failures") + 1)
    paused = WebhookSubscription.objects.filter(
        pk=subscription_id, paused_at__isnull=True, consecutive_failures__gte=settings.CITYHALL_WEBHOOK_PAUSE_AFTER
    ).update(paused_at=now)
    if paused:
        logger.warning("Webhook subscription %s paused after repeated failures", subscription_id)


def deliveries_due(limit: int) -> list[int]:
    """Deliveries whose next attempt has come, of running subscriptions, oldest due first; rows left
    "sending" by a worker that died are made pending (and due) again first."""
    now = clock.now()
    WebhookDelivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now
    )
    due = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now, subscription__paused_at__isnull=True
    )
    return list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])


def _status_of(delivery_id: int) -> str:
    return str(WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first() or "")

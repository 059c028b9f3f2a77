"""Area alerts: who watches the place of a new or resolved request; and what a public area feed lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.catalogue.models import Service, Zone
from cityhall.core import clock
from cityhall.geo.cells import cells_covering, distance_m, metres_per_degree
from cityhall.requests import selectors
from cityhall.requests.models import RequestEvent, ServiceRequest

from . import rules
from .models import AreaAlert, Channel, Delivery, Message, RecipientKind
from .recipients import Recipient, audience_of, language_or_default, normalise_email, reporter_of
from .storing import store

FEED_DAYS = 30
FEED_ENTRIES = 50
RADIUS_CHOICES = (250, 500, 1000, 2000)


def plan(event: RequestEvent) -> list[Message]:
    """Store an alert for each person watching this request's place and category, once per person."""
    template = rules.AREA_RULES.get((event.kind, event.action))
    service_request = event.request
    if template is None or service_request.service.is_private:
        return []
    # Those who hear about the request anyway (reporter, supporters, followers) need no alert on top.
    told = {recipient.address for recipient in audience_of(service_request, rules.REPORTER_AND_SUPPORTERS)}
    if (reporter := reporter_of(service_request)) is not None:
        told.add(reporter.address)
    watchers: dict[int, tuple[User, str]] = {}
    for alert in alerts_matching(service_request):
        user = alert.user
        if not user.is_active or normalise_email(user.email) in told:
            continue
        # Two alerts of one person covering the place: one message, as it happens if either says so.
        _, delivery = watchers.get(user.pk, (user, Delivery.DAILY))
        watchers[user.pk] = (user, Delivery.INSTANT if Delivery.INSTANT in (delivery, alert.delivery) else delivery)
    stored: list[Message] = []
    for user, delivery in watchers.values():
        recipient = Recipient(
            RecipientKind.WATCHER,
            Channel.EMAIL,
            normalise_email(user.email),
            language_or_default(user.language),
            user.pk,
        )
        scope = f"event:{event.pk}"
        stored += store(scope=scope, template=template, recipient=recipient, event=event, delivery=delivery)
    return stored


def alerts_matching(service_request: ServiceRequest) -> list[AreaAlert]:
    """Alerts whose zone holds the request, or whose circle does; and whose categories include it."""
    place = Q(zone_id=service_request.zone_id) if service_request.zone_id else Q(pk__in=[])
    if service_request.lat is not None and service_request.lng is not None:
        # The bounding boxes find the candidate circles; the exact distance decides below.
        place |= Q(
            min_lat__lte=service_request.lat,
            max_lat__gte=service_request.lat,
            min_lng__lte=service_request.lng,
            max_lng__gte=service_request.lng,
        )
    candidates = (
        AreaAlert.objects.filter(place)
        .filter(Q(services__isnull=True) | Q(services=service_request.service_id))
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    return [alert for alert in candidates if _covers(alert, service_request)]


def _covers(alert: AreaAlert, service_request: ServiceRequest) -> bool:
    if alert.zone_id is not None:
        return alert.zone_id == service_request.zone_id
    if (
        alert.lat is None
        or alert.lng is None
        or alert.radius_m is None
        or service_request.lat is None
        or service_request.lng is None
    ):
        return False
    return distance_m(alert.lat, alert.lng, service_request.lat, service_request.lng) <= alert.radius_m


def bounding_box(lat: float, lng: float, radius_m: float) -> dict[str, float]:
    """The circle's box in degrees, for AreaAlert's min/max columns."""
    per_lat, per_lng = metres_per_degree(lat)
    return {
        "min_lat": lat - radius_m / per_lat,
        "max_lat": lat + radius_m / per_lat,
        "min_lng": lng - radius_m / per_lng,
        "max_lng": lng + radius_m / per_lng,
    }


@dataclass(frozen=True)
class Area:
    """A place a feed or an alert is about: a zone, or a circle; and the categories (empty: all)."""

    zone: Zone | None = None
    lat: float | None = None
    lng: float | None = None
    radius_m: int | None = None
    services: tuple[Service, ...] = ()


def area_events(area: Area) -> QuerySet[RequestEvent]:
    """New requests and resolutions in the area over the last FEED_DAYS days, newest first (public ones only)."""
    since = clock.now() - timedelta(days=FEED_DAYS)
    kinds = list(rules.AREA_RULES)
    if area.zone is not None:
        return selectors.public_events_of_kinds(kinds, since=since, zone_id=area.zone.pk, services=area.services)
    if area.lat is not None and area.lng is not None and area.radius_m:
        cells = cells_covering(area.lat, area.lng, area.radius_m)
        return selectors.public_events_of_kinds(kinds, since=since, cells=list(cells), services=area.services)
    return selectors.public_events_of_kinds(kinds, since=since)


def feed_entries(area: Area) -> list[RequestEvent]:
    """area_events, with the circle's exact distance applied (the cells cover a little more)."""
    found = []
    for event in area_events(area)[: FEED_ENTRIES * 2]:
        service_request = event.request
        if area.zone is None and area.lat is not None and area.lng is not None and area.radius_m:
            if service_request.lat is None or service_request.lng is None:
                continue
            if distance_m(area.lat, area.lng, service_request.lat, service_request.lng) > area.radius_m:
                continue
        found.append(event)
    return found[:FEED_ENTRIES]


def feed_path(area: Area) -> str:
    """The public Atom feed of an area (the same for everyone who watches it: nothing personal in it)."""
    services = [("service", service.code) for service in area.services]
    if area.zone is not None:
        return reverse("notifications:zone_feed", args=[area.zone.pk]) + (f"?{urlencode(services)}" if services else "")
    query = [("lat", f"{area.lat:.5f}"), ("lng", f"{area.lng:.5f}"), ("radius_m", str(area.radius_m)), *services]
    return reverse("notifications:near_feed") + "?" + urlencode(query)


def area_of(alert: AreaAlert) -> Area:
    return Area(
        zone=alert.zone,
        lat=alert.lat,
        lng=alert.lng,
        radius_m=alert.radius_m,
        services=tuple(alert.services.all()),
    )

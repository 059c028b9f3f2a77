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
    request = event.request
    if template is None or request.service.is_private:
        return []
    # Those who hear about the request anyway (reporter, supporters, followers) need no alert on top.
    told = {recipient.address for recipient in audience_of(request, rules.REPORTER_AND_SUPPORTERS)}
    if (reporter := reporter_of(request)) is not None:
        told.add(reporter.address)
    watchers: dict[int, tuple[User, str]] = {}
    for alert in alerts_matching(request):
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


def alerts_matching(request: ServiceRequest) -> list[AreaAlert]:
    """Alerts whose zone holds the request, or whose circle does; and whose categories include it."""
    place = Q(zone_id=request.zone_id) if request.zone_id else Q(pk__in=[])
    if request.lat is not None and request.lng is not None:
        # The bounding boxes find the candidate circles; the exact distance decides below.
        place |= Q(
            min_lat__lte=request.lat, max_lat__gte=request.lat, min_lng__lte=request.lng, max_lng__gte=request.lng
        )
    candidates = (
        AreaAlert.objects.filter(place)
        .filter(Q(services__isnull=True) | Q(services=request.service_id))
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    return [alert for alert in candidates if _covers(alert, request)]


def _covers(alert: AreaAlert, request: ServiceRequest) -> bool:
    if alert.zone_id is not None:
        return alert.zone_id == request.zone_id
    if alert.lat is None or alert.lng is None or alert.radius_m is None or request.lat is None or request.lng is None:
        return False
    return distance_m(alert.lat, alert.lng, request.lat, request.lng) <= alert.radius_m


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
    kinds = Q()
    for kind, action in rules.AREA_RULES:
        kinds |= Q(kind=kind, action=action)
    events = RequestEvent.objects.filter(kinds, created_at__gte=since, request__service__is_private=False)
    if area.zone is not None:
        events = events.filter(request__zone=area.zone)
    elif area.lat is not None and area.lng is not None and area.radius_m:
        events = events.filter(request__cell__in=cells_covering(area.lat, area.lng, area.radius_m))
    else:
        return events.none()
    if area.services:
        events = events.filter(request__service__in=area.services)
    return events.select_related("request__service").order_by("-created_at", "-pk")


def feed_entries(area: Area) -> list[RequestEvent]:
    """area_events, with the circle's exact distance applied (the cells cover a little more)."""
    found = []
    for event in area_events(area)[: FEED_ENTRIES * 2]:
        request = event.request
        if area.zone is None and area.lat is not None and area.lng is not None and area.radius_m:
            if request.lat is None or request.lng is None:
                continue
            if distance_m(area.lat, area.lng, request.lat, request.lng) > area.radius_m:
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

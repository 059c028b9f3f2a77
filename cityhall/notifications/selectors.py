"""The notifications app's reads: a person's follows, area alerts, devices and choices; who watches a
place; what an area's feed lists; the messages sent to an address."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q, QuerySet

from cityhall.accounts.models import User
from cityhall.core import clock
from cityhall.geo.cells import cells_covering, distance_m
from cityhall.requests import selectors as request_selectors
from cityhall.requests.models import RequestEvent, ServiceRequest

from . import rules
from .areas import Area
from .models import AreaAlert, Follow, Message, MessageStatus, Preference, PushSubscription

# An area's feed lists what happened over this many days, at most this many entries.
FEED_DAYS = 30
FEED_ENTRIES = 50


def follows_for(user: User) -> QuerySet[Follow]:
    """The requests a person follows (confirmed), newest first, with the request and its category.

    Follows made by email before they had an account, at the same address, count as theirs.
    """
    return (
        Follow.objects.filter(Q(user=user) | Q(email__iexact=user.email), confirmed_at__isnull=False)
        .select_related("request__service")
        .order_by("-created_at", "-id")
    )


def is_following(user: User, request_id: int) -> bool:
    return follows_for(user).filter(request_id=request_id).exists()


def area_alerts_for(user: User) -> QuerySet[AreaAlert]:
    return AreaAlert.objects.filter(user=user).select_related("zone").prefetch_related("services").order_by("pk")


def devices_for(user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user).order_by("pk")


def device_ids_of(user_id: int) -> list[int]:
    """The ids of a person's push devices, oldest first."""
    return list(PushSubscription.objects.filter(user_id=user_id).order_by("pk").values_list("pk", flat=True))


def follow_of(request_id: int, *, user: User | None, emails: Iterable[str]) -> Follow | None:
    """This person's follow of a request, confirmed or not: by their account or an address they gave."""
    addresses = [email.strip().lower() for email in emails if email]
    if user is None and not addresses:
        return None
    whose = Q(user=user) if user is not None else Q(pk__in=[])
    for address in addresses:
        whose |= Q(email__iexact=address)
    return Follow.objects.filter(whose, request_id=request_id).order_by("-confirmed_at", "pk").first()


def follow_with_request(follow_id: int) -> Follow | None:
    """A follow named by a link, with its request."""
    return Follow.objects.select_related("request").filter(pk=follow_id).first()


def follow_by_address(request_id: int, address: str) -> Follow | None:
    """The follow of a request by this exact (normalised) address, confirmed or not."""
    return Follow.objects.filter(request_id=request_id, email=address).first()


def messages_to(addresses: Iterable[str]) -> list[Message]:
    """Messages sent (or meant) to these addresses (as the outbox writes them: `outbox_addresses`)."""
    return list(Message.objects.filter(address__in=list(addresses)).select_related("request"))


def preference_of(user_id: int) -> Preference:
    """The stored choices, or the defaults (unsaved) for someone who never changed them."""
    found = Preference.objects.filter(user_id=user_id).first()
    return found or Preference(user_id=user_id)


# --- Reads for a person's data export (the profile) ---


def stored_preference_of(user: User) -> Preference | None:
    """The choices a person saved, or None if they never changed the defaults."""
    return Preference.objects.filter(user=user).first()


def follows_to_export(user: User, emails: Iterable[str]) -> QuerySet[Follow]:
    """Every follow by their account or one of their addresses, confirmed or not, oldest first, with the request."""
    return (
        Follow.objects.filter(Q(user=user) | Q(email__in=list(emails)))
        .select_related("request__service")
        .order_by("created_at", "id")
    )


def area_alerts_to_export(user: User) -> QuerySet[AreaAlert]:
    """A person's area alerts, with their zone."""
    return AreaAlert.objects.filter(user=user).select_related("zone")


def devices_to_export(user: User) -> QuerySet[PushSubscription]:
    """A person's web push devices, oldest first."""
    return PushSubscription.objects.filter(user=user).order_by("created_at")


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


def area_events(area: Area) -> QuerySet[RequestEvent]:
    """New requests and resolutions in the area over the last FEED_DAYS days, newest first (public ones only)."""
    since = clock.now() - timedelta(days=FEED_DAYS)
    kinds = list(rules.AREA_RULES)
    if area.zone is not None:
        return request_selectors.public_events_of_kinds(
            kinds, since=since, zone_id=area.zone.pk, services=area.services
        )
    if area.lat is not None and area.lng is not None and area.radius_m:
        cells = cells_covering(area.lat, area.lng, area.radius_m)
        return request_selectors.public_events_of_kinds(kinds, since=since, cells=list(cells), services=area.services)
    return request_selectors.public_events_of_kinds(kinds, since=since)


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


@dataclass(frozen=True)
class OutboxBacklog:
    pending: dict[str, int]  # by channel
    oldest_pending: datetime | None
    sending: int


def outbox_backlog() -> OutboxBacklog:
    """What the outbox has yet to send (for /metrics): pending messages by channel, the oldest's time,
    and those claimed by a worker and not done. Held messages wait for a digest by choice: not counted."""
    pending = Message.objects.filter(status=MessageStatus.PENDING)
    by_channel = {row["channel"]: row["n"] for row in pending.values("channel").annotate(n=Count("id")).order_by()}
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    return OutboxBacklog(
        pending=by_channel,
        oldest_pending=oldest,
        sending=Message.objects.filter(status=MessageStatus.SENDING).count(),
    )

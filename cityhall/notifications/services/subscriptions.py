"""What people ask for: their choices, area alerts and push devices (one transaction each); unsubscribing."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from cityhall.accounts.models import User
from cityhall.catalogue.models import Service, Zone
from cityhall.core import clock

from ..areas import bounding_box
from ..models import AreaAlert, Channel, Preference, PushSubscription, Topic, Unsubscribe


def preference_save(
    *,
    user: User,
    channel: str,
    delivery: str,
    topics: Iterable[str],
    staff_digest: bool | None = None,
    weekly_digest: bool | None = None,
) -> Preference:
    """Store the person's choices; `topics` are the ones they want (the rest are muted)."""
    wanted = set(topics)
    with transaction.atomic():
        preference, _ = Preference.objects.select_for_update().get_or_create(
            user=user, defaults={"updated_at": clock.now()}
        )
        preference.channel, preference.delivery = channel, delivery
        preference.muted = [topic.value for topic in Topic if topic.value not in wanted]
        if staff_digest is not None:
            preference.staff_digest = staff_digest
        if weekly_digest is not None:
            preference.weekly_digest = weekly_digest
        preference.updated_at = clock.now()
        preference.save()
    return preference


def area_alert_add(
    *,
    user: User,
    zone: Zone | None = None,
    lat: float | None = None,
    lng: float | None = None,
    radius_m: int | None = None,
    services: Iterable[Service] = (),
    delivery: str,
) -> AreaAlert:
    """A neighbourhood (zone) or a circle (lat, lng, radius_m), for some categories (none: all)."""
    if (zone is None) == (lat is None or lng is None or not radius_m):
        raise ValueError("An area alert is a zone or a circle.")
    box = bounding_box(lat, lng, radius_m) if zone is None else {}  # type: ignore[arg-type]
    with transaction.atomic():
        alert = AreaAlert.objects.create(
            user=user,
            zone=zone,
            lat=lat if zone is None else None,
            lng=lng if zone is None else None,
            radius_m=radius_m if zone is None else None,
            delivery=delivery,
            created_at=clock.now(),
            **box,
        )
        alert.services.set(list(services))
    return alert


def area_alert_remove(*, user: User, alert_id: int) -> bool:
    deleted, _ = AreaAlert.objects.filter(pk=alert_id, user=user).delete()
    return deleted > 0


def push_subscribe(*, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """Record (or move to this person) a browser's push subscription; the endpoint identifies it."""
    with transaction.atomic():
        device, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={
                "user": user,
                "p256dh": p256dh,
                "auth": auth,
                "user_agent": user_agent[:300],
                "created_at": clock.now(),
            },
        )
    return device


def push_unsubscribe(*, user: User, endpoint: str = "", device_id: int | None = None) -> bool:
    devices = PushSubscription.objects.filter(user=user)
    devices = devices.filter(pk=device_id) if device_id is not None else devices.filter(endpoint=endpoint)
    deleted, _ = devices.delete()
    return deleted > 0


def unsubscribe_add(*, channel: Channel, address: str) -> None:
    """Nothing more goes to this address on this channel (recorded once; a repeat changes nothing)."""
    try:
        with transaction.atomic():
            Unsubscribe.objects.get_or_create(channel=channel, address=address, defaults={"created_at": clock.now()})
    except IntegrityError:
        pass  # a second click racing the first: already recorded

"""Links in messages: to the request's page, and signed links (unsubscribe, follows) that need no sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cityhall.requests.models import ServiceRequest

from .areas import Area
from .models import Channel

UNSUBSCRIBE_SALT = "cityhall.notifications.unsubscribe"


def absolute(path: str) -> str:
    return settings.CITYHALL_PUBLIC_URL.rstrip("/") + path


def request_link(service_request: ServiceRequest, *, with_token: bool, **params: str) -> str:
    """The request's public page. The tracking token is the anonymous reporter's key to confirm or
    reopen, so only the reporter's own messages carry it, and only when there is no account to sign in to."""
    query = dict(params)
    if with_token:
        query = {"token": service_request.tracking_token, **query}
    path = f"/requests/{service_request.public_id}"
    return absolute(path + (f"?{urlencode(query)}" if query else ""))


@dataclass(frozen=True)
class UnsubscribeTarget:
    channel: Channel
    address: str


def unsubscribe_token(channel: Channel, address: str) -> str:
    # No timestamp: the link never expires (last year's email must still work), and a text stays shorter.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"c": channel.value, "a": address}, compress=True)


def read_unsubscribe_token(token: str) -> UnsubscribeTarget | None:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(value, dict) or value.get("c") not in Channel.values or not value.get("a"):
        return None
    return UnsubscribeTarget(Channel(value["c"]), str(value["a"]))


def unsubscribe_link(channel: Channel, address: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(channel, address)]))


def staff_request_link(service_request: ServiceRequest) -> str:
    """The request in the staff workspace."""
    return absolute(reverse("staff:request", args=[service_request.public_id]))


FOLLOW_CONFIRM_SALT = "cityhall.notifications.follow.confirm"
FOLLOW_STOP_SALT = "cityhall.notifications.follow.stop"
# A confirmation link is for the person who just asked; after a week, they can ask again.
FOLLOW_CONFIRM_MAX_AGE = timedelta(days=7)


def follow_confirm_link(follow_id: int) -> str:
    token = signing.TimestampSigner(salt=FOLLOW_CONFIRM_SALT).sign_object({"f": follow_id})
    return absolute(reverse("notifications:follow_confirm", args=[token]))


def stop_following_link(follow_id: int) -> str:
    token = signing.Signer(salt=FOLLOW_STOP_SALT).sign_object({"f": follow_id})
    return absolute(reverse("notifications:follow_stop", args=[token]))


def read_follow_token(token: str, *, confirming: bool) -> int | None:
    """The follow a confirm (expiring) or stop (lasting) link names, or None if it was changed or is too old."""
    try:
        if confirming:
            signer = signing.TimestampSigner(salt=FOLLOW_CONFIRM_SALT)
            value = signer.unsign_object(token, max_age=FOLLOW_CONFIRM_MAX_AGE)
        else:
            value = signing.Signer(salt=FOLLOW_STOP_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    follow_id = value.get("f") if isinstance(value, dict) else None
    return follow_id if isinstance(follow_id, int) else None


def feed_path(area: Area) -> str:
    """The public Atom feed of an area (the same for everyone who watches it: nothing personal in it)."""
    services = [("service", service.code) for service in area.services]
    if area.zone is not None:
        return reverse("notifications:zone_feed", args=[area.zone.pk]) + (f"?{urlencode(services)}" if services else "")
    query = [("lat", f"{area.lat:.5f}"), ("lng", f"{area.lng:.5f}"), ("radius_m", str(area.radius_m)), *services]
    return reverse("notifications:near_feed") + "?" + urlencode(query)

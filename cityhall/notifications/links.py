"""Links in messages: to the request's page, and a signed one-click unsubscribe that needs no sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cityhall.requests.models import ServiceRequest

from .models import Channel

UNSUBSCRIBE_SALT = "cityhall.notifications.unsubscribe"


def absolute(path: str) -> str:
    return settings.CITYHALL_PUBLIC_URL.rstrip("/") + path


def request_link(request: ServiceRequest, *, with_token: bool, **params: str) -> str:
    """The request's public page. The tracking token is the anonymous reporter's key to confirm or
    reopen, so only the reporter's own messages carry it, and only when there is no account to sign in to."""
    query = dict(params)
    if with_token:
        query = {"token": request.tracking_token, **query}
    path = f"/requests/{request.public_id}"
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

"""Web push (RFC 8030) with VAPID (RFC 8292) through pywebpush: the payload is encrypted for the device (RFC 8291).

Off unless CITYHALL_VAPID_PUBLIC_KEY, CITYHALL_VAPID_PRIVATE_KEY and CITYHALL_VAPID_SUBJECT are set
(`cityhall generate_vapid_keys` makes a pair).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from .failures import PermanentFailure, TemporaryFailure

TIMEOUT_SECONDS = 15
# How long the push service keeps a message for a device that is offline: a day, then it is stale.
TIME_TO_LIVE_SECONDS = 24 * 60 * 60


class SubscriptionGone(PermanentFailure):
    """404 or 410 from the push service: the device unsubscribed or the browser dropped it."""


@dataclass(frozen=True)
class VapidKeys:
    public_key: str
    private_key: str
    subject: str


def configured_vapid() -> VapidKeys | None:
    """The VAPID keys from the settings, or None when web push is off (any of the three missing)."""
    keys = VapidKeys(
        public_key=settings.CITYHALL_VAPID_PUBLIC_KEY,
        private_key=settings.CITYHALL_VAPID_PRIVATE_KEY,
        subject=settings.CITYHALL_VAPID_SUBJECT,
    )
    if not all((keys.public_key, keys.private_key, keys.subject)):
        return None
    return keys


def send_push(keys: VapidKeys, *, endpoint: str, p256dh: str, auth: str, payload: dict[str, Any]) -> str:
    """Send one encrypted notification; return the push service's message URL (its Location header), if any."""
    # pywebpush (with aiohttp and requests) loads at the first push, not in every process that never
    # sends one (docs/architecture.md, "Start-up").
    import requests
    from pywebpush import WebPushException, webpush

    subscription = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    try:
        response = webpush(
            subscription,
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=keys.private_key,
            vapid_claims={"sub": keys.subject},  # a fresh dict: pywebpush writes aud and exp into it
            ttl=TIME_TO_LIVE_SECONDS,
            timeout=TIMEOUT_SECONDS,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        detail = f"HTTP {status}: {error.response.text[:200] if error.response is not None else error}"
        if status in (404, 410):
            raise SubscriptionGone(detail) from error
        if status is None or status >= 500 or status == 429:
            raise TemporaryFailure(detail) from error
        raise PermanentFailure(detail) from error
    except requests.RequestException as error:
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
    if isinstance(response, str):  # only when asked for a curl command line, which we never do
        return ""
    return str(response.headers.get("Location", ""))[:200]

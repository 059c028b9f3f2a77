"""A message about one request: what it says (the request, the event, the links for this recipient).

Rendered when sent, not stored: the bodies carry the anonymous reporter's tracking token, which the
outbox must not keep.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.roles import Role
from cityhall.geo.geocoding import as_read
from cityhall.requests import access
from cityhall.requests import selectors as request_selectors
from cityhall.requests.models import RequestEvent, ServiceRequest

from .. import links, selectors
from ..models import Message, RecipientKind
from .frame import STAFF_KINDS, Rendered, footer_context, render_with, zone_named

RESOLUTION_TEXT = {
    "fixed": _("It has been fixed."),
    "duplicate": _("It is a duplicate of another request, which carries on in its place."),
    "referred": _("It is for another agency, and was referred to them."),
    "no_action": _("No action is needed."),
    "cannot_fix": _("It cannot be fixed."),
}


def render_request_message(message: Message) -> Rendered:
    """The message, with times in its request's city's time zone."""
    zone = zone_named(message.request.jurisdiction.timezone) if message.request else zoneinfo.ZoneInfo("UTC")
    return render_with(message, message_context(message), zone)


def _where(address: str, zone: str) -> str:
    """“Near 1685 Main St · Pico”, said in the language active when the message is rendered."""
    return " · ".join(part for part in (as_read(address), zone) if part)


_where_lazy = lazy(_where, str)


def place_of(service_request: ServiceRequest) -> Any:
    """Where the request is, with its neighborhood; rendered lazily, in the message's language."""
    zone = service_request.zone.name if service_request.zone is not None else ""
    return _where_lazy(service_request.address or service_request.location_description, zone)


def message_context(message: Message) -> dict[str, Any]:
    service_request, event = message.request, message.event
    assert service_request is not None, "only digests are about no request"
    kind = RecipientKind(message.recipient_kind)
    is_reporter = kind == RecipientKind.REPORTER
    # Only the reporter gets the tracking token, and only when they have no account to sign in with.
    with_token = is_reporter and service_request.reporter_id is None
    data = {**(event.data if event else {}), **message.data}
    resolution = data.get("resolution") or service_request.resolution
    link = (
        links.staff_request_link(service_request)
        if kind in STAFF_KINDS
        else links.request_link(service_request, with_token=with_token)
    )
    return {
        **footer_context(message),
        "with_token": with_token,
        "request": service_request,
        "service_name": service_request.service.name,
        "place": place_of(service_request),
        "department": service_request.department.name if service_request.department else "",
        "expected_at": service_request.expected_at,
        "note": event.public_note if event else "",
        "hold_reason": service_request.hold_reason or (event.public_note if event else ""),
        "resolution": resolution,
        "resolution_text": RESOLUTION_TEXT.get(resolution, ""),
        "referred_to": data.get("referred_to") or service_request.referred_to,
        "referral_url": data.get("referral_url") or service_request.referral_url,
        "duplicate_of": data.get("duplicate_of", ""),
        "duplicate_link": _duplicate_link(data.get("duplicate_of", "")),
        # The system's own notes are English sentences; the templates say them in the reader's language.
        "by_the_system": event is not None and event.actor_role == Role.SYSTEM,
        "auto_close_days": service_request.jurisdiction.auto_close_days,
        "photo_url": _completion_photo_url(event) if event else "",
        "link": link,
        "fixed_link": links.request_link(service_request, with_token=with_token, fixed="yes") if is_reporter else "",
        "not_fixed_link": links.request_link(service_request, with_token=with_token, fixed="no") if is_reporter else "",
        "stop_following_link": _stop_following_link(message) if _is_following(message) else "",
        "confirm_link": links.follow_confirm_link(int(data["follow_id"])) if "follow_id" in data else "",
        "assignee": str(service_request.assignee) if service_request.assignee else "",
        "previous_assignee": data.get("previous_assignee") or "",
        "sla_hours": service_request.service.sla_hours,
    }


def _is_following(message: Message) -> bool:
    return message.recipient_kind == RecipientKind.FOLLOWER and message.template != "follow_confirm"


def _stop_following_link(message: Message) -> str:
    assert message.request_id is not None
    follow = selectors.follow_by_address(message.request_id, message.address)
    return links.stop_following_link(follow.pk) if follow else ""


def _duplicate_link(public_id: str) -> str:
    return links.absolute(f"/requests/{public_id}") if public_id else ""


def _completion_photo_url(event: RequestEvent) -> str:
    photo = request_selectors.completion_photo(event)
    # A mail client fetches the picture without the reader's session or device cookie, so only an
    # open photo is linked; a private category's stays behind the tracking page's access check.
    return links.absolute(photo.image.url) if photo and access.photo_is_open(photo) else ""

"""Everything the city holds about one person, as one JSON document ("Download my data")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from cityhall.accounts.models import User
from cityhall.accounts.selectors import saved_places_for
from cityhall.core import clock
from cityhall.notifications import selectors as notifications
from cityhall.notifications.recipients import outbox_addresses
from cityhall.requests import selectors
from cityhall.requests.models import ServiceRequest
from cityhall.requests.services.privacy import verified_emails_of

FORMAT_VERSION = 1


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def export_for(user: User, *, media_url: Callable[[str], str]) -> dict[str, Any]:
    """The profile, email addresses, saved places, requests (with their public timeline and the
    photos they sent), supports, follows and notification settings, and messages sent.

    `media_url` turns a stored file's name into the address it is downloaded from.

    Requests reported anonymously with one of their verified addresses count as theirs. Staff-only
    notes are not included: they are the city's working notes, not data about the person.
    """
    # Only addresses they proved are theirs: an unverified one may be someone else's.
    verified = verified_emails_of(user)
    emails = set(verified) | {user.email.lower()}
    requests = selectors.personal_requests(user, verified_emails=verified)
    phones = {user.phone, *(service_request.reporter_phone for service_request in requests)}
    return {
        "format": "cityhall-personal-data",
        "version": FORMAT_VERSION,
        "exported_at": _when(clock.now()),
        "profile": {
            "email": user.email,
            "name": user.name,
            "phone": user.phone,
            "language": user.language,
            "joined_at": _when(user.date_joined),
            "last_sign_in_at": _when(user.last_login),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "saved_places": [
            {"kind": place.kind, "label": str(place), "address": place.address, "lat": place.lat, "lng": place.lng}
            for place in saved_places_for(user)
        ],
        "requests": [_request(service_request, media_url) for service_request in requests],
        "supports": [
            {
                "request": support.request.public_id,
                "service": support.request.service.name,
                "supported_at": _when(support.created_at),
            }
            for support in selectors.personal_supports(user, emails=sorted(emails))
        ],
        **_notifications_of(user, emails),
        "messages": [
            {
                "channel": message.channel,
                "to": message.address,
                "template": message.template,
                "request": message.request.public_id if message.request else None,  # a digest names none
                "status": message.status,
                "created_at": _when(message.created_at),
                "sent_at": _when(message.sent_at),
            }
            for message in notifications.messages_to(outbox_addresses(emails=emails, phones=phones))
        ],
        "sign_in": {
            "second_factors": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
            "sessions": [
                {
                    "ip": session.ip,
                    "device": session.user_agent,
                    "started_at": _when(session.created_at),
                    "last_seen_at": _when(session.last_seen_at),
                }
                for session in UserSession.objects.filter(user=user).order_by("created_at")
            ],
        },
    }


def _notifications_of(user: User, emails: set[str]) -> dict[str, Any]:
    """What they asked to hear: follows, notification settings, area alerts, devices with web push."""
    preference = notifications.stored_preference_of(user)
    follows = notifications.follows_to_export(user, emails)
    return {
        "follows": [
            {
                "request": follow.request.public_id,
                "service": follow.request.service.name,
                "email": follow.email,
                "confirmed": follow.confirmed_at is not None,
                "followed_at": _when(follow.created_at),
            }
            for follow in follows
        ],
        "notification_settings": (
            {"channel": preference.channel, "delivery": preference.delivery, "muted": preference.muted}
            if preference
            else None
        ),
        "area_alerts": [
            {
                "zone": alert.zone.name if alert.zone else None,
                "lat": alert.lat,
                "lng": alert.lng,
                "radius_m": alert.radius_m,
                "delivery": alert.delivery,
                "created_at": _when(alert.created_at),
            }
            for alert in notifications.area_alerts_to_export(user)
        ],
        "push_devices": [
            {"device": device.user_agent, "added_at": _when(device.created_at)}
            for device in notifications.devices_to_export(user)
        ],
    }


def _request(service_request: ServiceRequest, media_url: Callable[[str], str]) -> dict[str, Any]:
    return {
        "public_id": service_request.public_id,
        "service": service_request.service.name,
        "status": service_request.status,
        "resolution": service_request.resolution,
        "description": service_request.description,
        "answers": service_request.attributes,
        "address": service_request.address,
        "location_description": service_request.location_description,
        "lat": service_request.lat,
        "lng": service_request.lng,
        "reported_at": _when(service_request.requested_at),
        "closed_at": _when(service_request.closed_at),
        "reported_as": {
            "name": service_request.reporter_name,
            "email": service_request.reporter_email,
            "phone": service_request.reporter_phone,
        },
        "channel": service_request.channel,
        "photos": [
            {"url": media_url(photo.image.name), "type": photo.content_type, "sent_at": _when(photo.created_at)}
            for photo in service_request.report_photos  # type: ignore[attr-defined]
        ],
        "timeline": [
            {
                "at": _when(event.created_at),
                "what": str(event.get_kind_display()),  # in the reader's language; json cannot write a lazy label
                "from_status": event.from_status,
                "to_status": event.to_status,
                "note": event.public_note,
            }
            for event in service_request.events.all()
        ],
    }

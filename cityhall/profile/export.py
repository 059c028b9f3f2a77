"""Everything the city holds about one person, as one JSON document ("Download my data")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower

from cityhall.accounts.models import User
from cityhall.accounts.places import saved_places_for
from cityhall.core import clock
from cityhall.notifications.models import AreaAlert, Follow, Preference, PushSubscription
from cityhall.notifications.recipients import outbox_addresses
from cityhall.notifications.selectors import messages_to
from cityhall.requests.models import Attachment, RequestEvent, ServiceRequest, Support
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
    emails = set(verified_emails_of(user)) | {user.email.lower()}
    requests = _requests_of(user)
    phones = {user.phone, *(request.reporter_phone for request in requests)}
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
        "requests": [_request(request, media_url) for request in requests],
        "supports": [
            {
                "request": support.request.public_id,
                "service": support.request.service.name,
                "supported_at": _when(support.created_at),
            }
            for support in Support.objects.filter(Q(user=user) | Q(email__in=emails))
            .select_related("request__service")
            .order_by("created_at", "id")
        ],
        **_notifications_of(user, emails),
        "messages": [
            {
                "channel": message.channel,
                "to": message.address,
                "template": message.template,
                "request": message.request.public_id,
                "status": message.status,
                "created_at": _when(message.created_at),
                "sent_at": _when(message.sent_at),
            }
            for message in messages_to(outbox_addresses(emails=emails, phones=phones))
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
    preference = Preference.objects.filter(user=user).first()
    follows = Follow.objects.filter(Q(user=user) | Q(email__in=emails)).select_related("request__service")
    return {
        "follows": [
            {
                "request": follow.request.public_id,
                "service": follow.request.service.name,
                "email": follow.email,
                "confirmed": follow.confirmed_at is not None,
                "followed_at": _when(follow.created_at),
            }
            for follow in follows.order_by("created_at", "id")
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
            for alert in AreaAlert.objects.filter(user=user).select_related("zone")
        ],
        "push_devices": [
            {"device": device.user_agent, "added_at": _when(device.created_at)}
            for device in PushSubscription.objects.filter(user=user).order_by("created_at")
        ],
    }


def _requests_of(user: User) -> list[ServiceRequest]:
    public_events = Prefetch(
        "events", queryset=RequestEvent.objects.exclude(kind=RequestEvent.Kind.NOTE).order_by("created_at", "id")
    )
    # The photos they sent with the report, as stored: already stripped of location and camera data.
    their_photos = Prefetch(
        "attachments", queryset=Attachment.objects.filter(purpose=Attachment.Purpose.REPORT), to_attr="report_photos"
    )
    return list(
        ServiceRequest.objects.annotate(email_lower=Lower("reporter_email"))
        .filter(Q(reporter=user) | Q(reporter__isnull=True, email_lower__in=verified_emails_of(user)))
        .select_related("service")
        .prefetch_related(public_events, their_photos)
        .order_by("requested_at", "id")
    )


def _request(request: ServiceRequest, media_url: Callable[[str], str]) -> dict[str, Any]:
    return {
        "public_id": request.public_id,
        "service": request.service.name,
        "status": request.status,
        "resolution": request.resolution,
        "description": request.description,
        "answers": request.attributes,
        "address": request.address,
        "location_description": request.location_description,
        "lat": request.lat,
        "lng": request.lng,
        "reported_at": _when(request.requested_at),
        "closed_at": _when(request.closed_at),
        "reported_as": {
            "name": request.reporter_name,
            "email": request.reporter_email,
            "phone": request.reporter_phone,
        },
        "channel": request.channel,
        "photos": [
            {"url": media_url(photo.image.name), "type": photo.content_type, "sent_at": _when(photo.created_at)}
            for photo in request.report_photos  # type: ignore[attr-defined]
        ],
        "timeline": [
            {
                "at": _when(event.created_at),
                "what": event.get_kind_display(),
                "from_status": event.from_status,
                "to_status": event.to_status,
                "note": event.public_note,
            }
            for event in request.events.all()
        ],
    }

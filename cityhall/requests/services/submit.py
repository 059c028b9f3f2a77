"""Taking in a new request: validate everything first, then write it all in one transaction."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.catalogue import policy
from cityhall.catalogue.models import Department, Service, Zone
from cityhall.catalogue.selectors import city_in_message
from cityhall.core import clock
from cityhall.core.bulk import insert_instance
from cityhall.core.errors import ValidationFailed
from cityhall.core.geometry import valid_coordinates
from cityhall.core.stored_files import stored_files_kept_only_on_success
from cityhall.geo.cells import cell_of
from cityhall.geo.lookup import jurisdiction_contains, zone_for_point

from .. import bounds, events, photos
from ..attributes import Raw, validate_attributes
from ..models import Attachment, Channel, RequestEvent, ServiceRequest
from ..problems import Problem
from ..workflow import Role, Status


@dataclass(frozen=True)
class Location:
    """Where: a point, an address, or a described place (at least one)."""

    lat: float | None = None
    lng: float | None = None
    address: str = ""
    address_id: str = ""
    zipcode: str = ""
    description: str = ""


@dataclass(frozen=True)
class Contact:
    """A reporter's contact details, for staff only."""

    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ClientInfo:
    """What an API client says about itself and the reporter's device; staff-only, never public."""

    api_client: str = ""
    device_id: str = ""
    account_id: str = ""
    batch_token: str = ""


def new_public_id() -> str:
    """Eight digits, no leading zero: easy to read over the phone, hard to guess in sequence."""
    return str(secrets.randbelow(90_000_000) + 10_000_000)


def _validate_location(service: Service, location: Location, errors: dict[str, str]) -> None:
    has_point = location.lat is not None or location.lng is not None
    if has_point:
        if location.lat is None or location.lng is None:
            errors["lat" if location.lat is None else "long"] = Problem.LAT_LONG_TOGETHER
        elif not valid_coordinates(location.lat, location.lng):
            errors["lat"] = "Latitude must be between -90 and 90 and longitude between -180 and 180."
        elif not jurisdiction_contains(service.jurisdiction, location.lat, location.lng):
            errors["lat"] = (
                f"This location is outside {city_in_message(service.jurisdiction)}, so the city cannot act on it. "
                "Please check the pin, or contact the city or county responsible for that place."
            )
    elif not (location.address.strip() or location.address_id.strip() or location.description.strip()):
        errors["location"] = Problem.WHERE


def service_request_submit(
    *,
    service: Service,
    location: Location,
    description: str = "",
    attributes: Mapping[str, Raw] | None = None,
    reporter: User | None = None,
    contact: Contact | None = None,
    channel: Channel = Channel.WEB,
    photos_in: Sequence[photos.PhotoInput] = (),
    media_url: str = "",
    client: ClientInfo | None = None,
    language: str = "",
) -> ServiceRequest:
    """Validate and store a new request, route it, and start its SLA clock.

    Raises ValidationFailed naming every bad field; nothing is written unless everything is valid.
    """
    contact = contact or Contact()
    client = client or ClientInfo()
    errors: dict[str, str] = {}
    if not service.active:
        errors["service_code"] = f"{service.name} no longer takes new requests."
    _validate_location(service, location, errors)
    errors |= bounds.check(
        {
            "description": description,
            "address_string": location.address.strip(),
            "address_id": location.address_id.strip(),
            "zipcode": location.zipcode.strip(),
            "location_description": location.description.strip(),
            "media_url": media_url,
            "name": contact.name,
            "email": contact.email,
            "phone": contact.phone,
            "device_id": client.device_id,
            "account_id": client.account_id,
        }
    )
    clean_attributes, attribute_errors = validate_attributes(service, attributes or {})
    errors.update(attribute_errors)
    if not service.anonymous_allowed and reporter is None and not (contact.email or contact.phone):
        errors["email"] = f"{service.name} needs a way to contact you: sign in, or give an email or phone number."
    if errors:
        raise ValidationFailed(errors)
    clean_photos = photos.sanitise_all(photos_in)

    now = clock.now()
    jurisdiction = service.jurisdiction
    has_point = location.lat is not None and location.lng is not None
    zone = zone_for_point(jurisdiction, location.lat, location.lng) if has_point else None  # type: ignore[arg-type]
    department = policy.department_for(service, zone)
    # Everything is made, and the photos stored, before the transaction: it holds SQLite's one writer's
    # lock (a row lock on PostgreSQL), so only the writes belong inside it, never a disk's or a bucket's.
    service_request = ServiceRequest(
        jurisdiction=jurisdiction,
        tracking_token=secrets.token_urlsafe(24),
        service=service,
        description=description,
        attributes=clean_attributes,
        lat=location.lat,
        lng=location.lng,
        cell=cell_of(location.lat, location.lng) if has_point else None,  # type: ignore[arg-type]
        address=location.address.strip(),
        address_id=location.address_id.strip(),
        zipcode=location.zipcode.strip(),
        location_description=location.description.strip(),
        zone=zone,
        media_url=media_url,
        reporter=reporter,
        reporter_name=contact.name or (reporter.name if reporter else ""),
        reporter_email=contact.email or (reporter.email if reporter else ""),
        reporter_phone=contact.phone or (reporter.phone if reporter else ""),
        channel=channel,
        language=language[:8],
        api_client=client.api_client,
        device_id=client.device_id,
        account_id=client.account_id,
        batch_token=client.batch_token,
        department=department,
        status=Status.ROUTED if department else Status.SUBMITTED,
        requested_at=now,
        updated_at=now,
        expected_at=policy.expected_by(jurisdiction, service, now),
    )
    drafts = _first_events(reporter, channel, department, zone)
    with stored_files_kept_only_on_success():
        stored = photos.store_all(clean_photos)
        if stored:
            service_request.report_photo = stored[0].image.name
        with transaction.atomic():
            _insert_with_fresh_id(service_request)
            submitted = events.record_all(service_request, drafts, at=now)[0]
            photos.attach(service_request, stored, event=submitted, purpose=Attachment.Purpose.REPORT, at=now)
    return service_request


def _first_events(
    reporter: User | None, channel: Channel, department: Department | None, zone: Zone | None
) -> list[tuple[events.Actor, events.EventDraft]]:
    """A new request's events: submitted by its reporter, then routed by the system when a department takes it."""
    requester = events.Actor(user=reporter, roles=frozenset({Role.REQUESTER}), label=str(channel))
    drafts = [
        (
            requester,
            events.EventDraft(
                kind=RequestEvent.Kind.SUBMITTED, to_status=Status.SUBMITTED, data={"channel": str(channel)}
            ),
        )
    ]
    if department is not None:
        routed = events.EventDraft(
            kind=RequestEvent.Kind.TRANSITION,
            action="route",
            from_status=Status.SUBMITTED,
            to_status=Status.ROUTED,
            data={"department": department.name, "zone": zone.name if zone else None},
        )
        drafts.append((events.SYSTEM, routed))
    return drafts


def _insert_with_fresh_id(service_request: ServiceRequest) -> None:
    """Write the new request under a public id no other request holds (a fresh one on each collision)."""
    for _attempt in range(5):
        service_request.public_id = new_public_id()
        if insert_instance(service_request, unless_taken="public_id"):
            return
    raise RuntimeError("could not find a free public id after 5 tries")

"""Test helpers: requests in a given state, photos with EXIF, actors with one role."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from PIL import Image

from cityhall.accounts.models import User
from cityhall.catalogue.models import Crew, Department, Service
from cityhall.core import clock
from cityhall.requests import services
from cityhall.requests.events import Actor
from cityhall.requests.models import ServiceRequest
from cityhall.requests.workflow import Role, Status

CITY_HALL = (34.0115, -118.4917)  # inside Santa Monica
DOWNTOWN_LA = (34.0522, -118.2437)  # outside
OCEAN_PARK = (34.0030, -118.4800)  # in the Ocean Park neighbourhood


def submit(
    service: Service,
    *,
    at: tuple[float, float] = CITY_HALL,
    reporter: User | None = None,
    place_note: str = "",
    **kwargs: object,
) -> ServiceRequest:
    answers = {"potholes": {"SIZE": "M"}, "graffiti-public-property": {"SURFACE": "WALL"}}.get(service.code, {})
    return services.service_request_submit(
        service=service,
        location=services.Location(lat=at[0], lng=at[1], description=place_note),
        description=kwargs.pop("description", "Test report"),  # type: ignore[arg-type]
        attributes=kwargs.pop("attributes", answers),  # type: ignore[arg-type]
        reporter=reporter,
        contact=kwargs.pop("contact", None) or (None if reporter else services.Contact(email="someone@example.org")),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def put_in_status(
    request: ServiceRequest, status: Status, *, department: Department, assignee: User | None, crew: Crew | None = None
) -> ServiceRequest:
    """Arrange a request in `status` directly (test setup only; the code under test goes through services)."""
    done = status in (Status.RESOLVED, Status.CLOSED)
    now = clock.now()
    ServiceRequest.objects.filter(pk=request.pk).update(
        status=status,
        department=None if status is Status.SUBMITTED else department,
        assignee=assignee if status in (Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD) else None,
        crew=crew if status in (Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD) else None,
        resolution="fixed" if done else "",
        resolved_at=now if done else None,
        closed_at=now if status is Status.CLOSED else None,
    )
    request.refresh_from_db()
    return request


def holding_public_id(service: Service, public_id: str) -> ServiceRequest:
    """A request from elsewhere that already holds `public_id` (an import must not take it)."""
    return ServiceRequest.objects.create(
        jurisdiction=service.jurisdiction,
        public_id=public_id,
        tracking_token="x" * 32,
        service=service,
        requested_at=datetime(2023, 1, 1, tzinfo=UTC),
        updated_at=datetime(2023, 1, 1, tzinfo=UTC),
    )


def actor(user: User | None, *roles: Role) -> Actor:
    return Actor(user=user, roles=frozenset(roles))


def jpeg_with_gps(size: tuple[int, int] = (800, 600)) -> bytes:
    """A JPEG carrying EXIF GPS coordinates, like a phone photo."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (34.0, 0.0, 41.4)
    gps[3], gps[4] = "W", (118.0, 29.0, 30.1)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()

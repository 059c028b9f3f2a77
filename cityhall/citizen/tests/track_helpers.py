"""Requests in the states a tracking page shows, made through the real services (tracking-page tests)."""

from __future__ import annotations

from cityhall.accounts.models import User
from cityhall.catalogue.models import Service
from cityhall.requests import access, services
from cityhall.requests.models import ServiceRequest
from cityhall.requests.services import Change
from cityhall.requests.tests.builders import jpeg_with_gps, submit
from cityhall.requests.workflow import Action, Resolution

ROSA = services.Contact(name="Rosa Reporter", email="rosa@example.org", phone="310-555-0101")
SECRET_NOTE = "Crew notes: the reporter sounded cross on the phone"


def act(request: ServiceRequest, action: Action, user: User, **change: object) -> None:
    services.service_request_transition(
        service_request=request,
        action=action,
        actor=access.actor_for(user, request),
        change=Change(**change),  # type: ignore[arg-type]
    )


def resolved_graffiti(service: Service, staff: User, *, reporter: User | None = None) -> ServiceRequest:
    """An anonymous (or `reporter`'s) graffiti report that staff fixed, with a completion photo and an internal note."""
    request = submit(
        service,
        reporter=reporter,
        description="Tag on the library wall",
        contact=None if reporter else ROSA,
    )
    act(request, Action.NOTE, staff, internal_note=SECRET_NOTE)
    act(request, Action.START, staff)
    act(
        request,
        Action.RESOLVE,
        staff,
        resolution=Resolution.FIXED,
        public_note="Painted over.",
        photos=[jpeg_with_gps()],
    )
    request.refresh_from_db()
    return request

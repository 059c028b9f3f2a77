"""Helpers of the report tests: a category asking every Open311 datatype, counts, a valid form."""

from __future__ import annotations

from cityhall.catalogue.models import AttributeValue, Service, ServiceAttribute
from cityhall.requests import services
from cityhall.requests.models import Attachment, Channel, RequestEvent, ServiceRequest, Support
from cityhall.requests.tests.builders import CITY_HALL, DOWNTOWN_LA, jpeg_with_gps

__all__ = ["CITY_HALL", "DOWNTOWN_LA", "counts", "every_datatype_service", "nearby_pothole", "pothole_form"]


def counts() -> tuple[int, int, int, int]:
    return (
        ServiceRequest.objects.count(),
        RequestEvent.objects.count(),
        Attachment.objects.count(),
        Support.objects.count(),
    )


def pothole_form(**overrides: object) -> dict[str, object]:
    """A complete pothole report from City Hall's steps, as a browser would post it."""
    data: dict[str, object] = {
        "lat": str(CITY_HALL[0]),
        "lng": str(CITY_HALL[1]),
        "attr_SIZE": "M",
        "description": "Deep hole by the crossing",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def every_datatype_service(jurisdiction) -> Service:
    """A category asking one question of each Open311 datatype, all required, plus a note."""
    service = Service.objects.create(jurisdiction=jurisdiction, code="test-everything", name="Everything")
    Datatype = ServiceAttribute.Datatype
    for order, (code, datatype) in enumerate(
        [
            ("WORDS", Datatype.STRING),
            ("COUNT", Datatype.NUMBER),
            ("WHEN", Datatype.DATETIME),
            ("STORY", Datatype.TEXT),
            ("ONE", Datatype.SINGLEVALUELIST),
            ("MANY", Datatype.MULTIVALUELIST),
        ]
    ):
        attribute = ServiceAttribute.objects.create(
            service=service, code=code, datatype=datatype, required=True, description=f"Question {code}", order=order
        )
        if attribute.is_list:
            for key in ("A", "B"):
                AttributeValue.objects.create(attribute=attribute, key=key, name=f"Choice {key}")
    ServiceAttribute.objects.create(
        service=service, code="NOTE", variable=False, description="Call 911 if anyone is hurt.", order=9
    )
    return service


def nearby_pothole(service: Service) -> ServiceRequest:
    """An open pothole at 1685 Main St, its description full of its reporter's (and a neighbour's) contacts."""
    return services.service_request_submit(
        service=service,
        location=services.Location(lat=CITY_HALL[0], lng=CITY_HALL[1], address="1685 Main St"),
        description=(
            "Deep hole in the crosswalk by the library steps, a cyclist nearly fell in it this morning. "
            "I am Jane Doe, call me on 310-555-0199 or write to jane.doe@example.org; my neighbour "
            "Rosalind (rosalind@example.net, 310 555 0142) saw it too. It has been growing since 2026-11-02."
        ),
        attributes={"SIZE": "M"},
        reporter=None,
        contact=services.Contact(name="Jane Doe", email="jane.doe@example.org", phone="310-555-0199"),
        channel=Channel.WEB,
        photos_in=[jpeg_with_gps()],
    )

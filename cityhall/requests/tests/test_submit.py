"""Taking in requests: routing, geofence, attribute validation, photos — and nothing half-written."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db.models import signals
from PIL import Image

from cityhall.catalogue.models import Department, RoutingRule, Zone
from cityhall.core.errors import ValidationFailed
from cityhall.requests import services
from cityhall.requests.models import Attachment, RequestEvent, ServiceRequest

from .builders import CITY_HALL, DOWNTOWN_LA, OCEAN_PARK, jpeg_with_gps, submit

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return ServiceRequest.objects.count(), RequestEvent.objects.count(), Attachment.objects.count()


def test_a_request_inside_the_city_is_routed_to_the_service_default_department(service, public_works):
    request = submit(service("potholes"), at=CITY_HALL, attributes={"SIZE": "L", "HAZARDS": ["TRAFFIC", "BIKES"]})
    assert request.status == "routed"
    assert request.department == public_works
    assert request.attributes == {"SIZE": "L", "HAZARDS": ["TRAFFIC", "BIKES"]}
    assert len(request.public_id) == 8 and request.public_id.isdigit()
    assert len(request.tracking_token) >= 32
    assert request.expected_at is not None and request.expected_at > request.requested_at
    kinds = list(request.events.values_list("kind", "to_status"))
    assert kinds == [("submitted", "submitted"), ("transition", "routed")]


def test_a_zone_routing_rule_overrides_the_service_default(santa_monica, service):
    ocean_park = Zone.objects.get(jurisdiction=santa_monica, slug="ocean-park")
    parks = Department.objects.get(jurisdiction=santa_monica, slug="community-cultural-services")
    potholes = service("potholes")
    RoutingRule.objects.create(jurisdiction=santa_monica, service=potholes, zone=ocean_park, department=parks)
    assert submit(potholes, at=OCEAN_PARK).department == parks
    assert submit(potholes, at=CITY_HALL).department.slug == "public-works"


def test_a_service_without_a_department_lands_in_triage(service):
    request = submit(service("trash-illegal-dumping"))
    assert request.status == "submitted"
    assert request.department is None


def test_city_hall_is_inside_and_downtown_los_angeles_is_refused(service):
    assert submit(service("potholes"), at=CITY_HALL).status == "routed"
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        submit(service("potholes"), at=DOWNTOWN_LA)
    assert "outside the City of Santa Monica" in refused.value.errors["lat"]
    assert counts() == before


@pytest.mark.parametrize(
    ("attributes", "field", "words"),
    [
        ({}, "attribute[SIZE]", "Please answer"),
        ({"SIZE": "XXL"}, "attribute[SIZE]", "not one of the choices"),
        ({"SIZE": "M", "COLOUR": "red"}, "attribute[COLOUR]", "not a question"),
        ({"SIZE": "M", "HAZARDS": ["TRAFFIC", "LAVA"]}, "attribute[HAZARDS]", "not one of the choices"),
        ({"SIZE": ["S", "M"]}, "attribute[SIZE]", "only one answer"),
    ],
)
def test_bad_answers_name_the_field_and_write_nothing(service, attributes, field, words):
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        submit(service("potholes"), attributes=attributes)
    assert words in refused.value.errors[field]
    assert counts() == before


def test_number_and_datetime_answers_are_typed(service):
    graffiti = submit(service("graffiti-public-property"), attributes={"SURFACE": "WALL", "AREA_SQFT": "12"})
    assert graffiti.attributes["AREA_SQFT"] == 12
    with pytest.raises(ValidationFailed) as refused:
        submit(service("graffiti-public-property"), attributes={"SURFACE": "WALL", "AREA_SQFT": "lots"})
    assert "expected a number" in refused.value.errors["attribute[AREA_SQFT]"]
    with pytest.raises(ValidationFailed) as refused:
        submit(service("refuse-recycling-pick-up"), attributes={"BINS": ["TRASH"], "MISSED_ON": "last tuesday"})
    assert "date and time" in refused.value.errors["attribute[MISSED_ON]"]


def test_location_can_be_an_address_or_a_described_place_but_not_nothing(service):
    by_address = services.service_request_submit(
        service=service("streetlights"),
        location=services.Location(address="1685 Main St"),
        attributes={"PROBLEM": "OUT"},
    )
    assert by_address.lat is None and by_address.cell is None and by_address.address == "1685 Main St"
    described = services.service_request_submit(
        service=service("streetlights"),
        location=services.Location(description="The lamp by the pier stairs"),
        attributes={"PROBLEM": "OUT"},
    )
    assert described.location_description == "The lamp by the pier stairs"
    with pytest.raises(ValidationFailed) as refused:
        services.service_request_submit(
            service=service("streetlights"), location=services.Location(), attributes={"PROBLEM": "OUT"}
        )
    assert "location" in refused.value.errors


def test_half_a_coordinate_and_impossible_coordinates_are_refused(service):
    with pytest.raises(ValidationFailed) as refused:
        services.service_request_submit(service=service("other"), location=services.Location(lat=34.0))
    assert "together" in refused.value.errors["long"]
    for lat, lng in [(95.0, -118.0), (float("nan"), -118.49), (34.0, float("inf"))]:
        with pytest.raises(ValidationFailed):
            services.service_request_submit(service=service("other"), location=services.Location(lat=lat, lng=lng))


def test_inactive_services_take_no_new_requests(service):
    with pytest.raises(ValidationFailed) as refused:
        submit(service("public-records-request"))
    assert "no longer takes" in refused.value.errors["service_code"]


def test_categories_that_need_contact_refuse_anonymous_reports(service):
    with pytest.raises(ValidationFailed) as refused:
        services.service_request_submit(
            service=service("parking-citations-contesting"),
            location=services.Location(lat=CITY_HALL[0], lng=CITY_HALL[1]),
        )
    assert "contact" in refused.value.errors["email"]


def test_a_description_over_4000_characters_is_refused(service):
    with pytest.raises(ValidationFailed) as refused:
        submit(service("other"), description="x" * 4001)
    assert "4000" in refused.value.errors["description"]


def test_photo_gps_and_exif_are_gone_after_upload(service):
    request = submit(service("potholes"), photos_in=[jpeg_with_gps()])
    attachment = request.attachments.get()
    stored = attachment.image.read()
    assert b"Exif" not in stored and b"GPS" not in stored
    assert not Image.open(BytesIO(stored)).getexif()
    assert attachment.content_type == "image/jpeg" and attachment.width == 800
    assert Image.open(attachment.thumbnail).size[0] <= 400


def test_a_non_image_or_oversized_upload_is_refused_and_nothing_is_written(service):
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        submit(service("potholes"), photos_in=[b"%PDF-1.7 not a photo"])
    assert "photos" in refused.value.errors
    with pytest.raises(ValidationFailed):
        submit(service("potholes"), photos_in=[b"\xff\xd8\xff" + b"0" * (16 * 1024 * 1024)])
    assert counts() == before


def test_requests_and_events_take_no_save_receivers_as_their_hot_writes_send_no_model_signal():
    """A new request and its events are written by core/bulk.insert_instance(s), which skip save():
    a receiver connected to their save signals would silently miss them (docs/architecture.md)."""
    for model in (ServiceRequest, RequestEvent):
        for signal in (signals.pre_save, signals.post_save):
            assert not signal.has_listeners(model), f"{signal} has a receiver for {model.__name__}"

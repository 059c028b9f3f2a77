"""A typed address gets what a pin gets; a pin gets its nearest address; suggestions as you type."""

from __future__ import annotations

import pytest

from cityhall.catalogue.models import Department, RoutingRule, Zone
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import submit

from .report_helpers import CITY_HALL, pothole_form

pytestmark = pytest.mark.django_db
OCEAN_PARK_LIBRARY = "2601 Main St"  # in the Ocean Park neighborhood


def test_suggestions_come_as_json_for_half_typed_addresses_corners_and_places(client, santa_monica):
    answer = client.get("/report/places.json", {"q": "1685 mai"})
    assert answer.status_code == 200 and "max-age" in answer["Cache-Control"]
    first = answer.json()["results"][0]
    assert first["label"] == "1685 Main St" and first["kind"] == "address"
    assert abs(first["lat"] - CITY_HALL[0]) < 0.002 and abs(first["lng"] - CITY_HALL[1]) < 0.002
    corners = [r["label"] for r in client.get("/report/places.json", {"q": "main & pic"}).json()["results"]]
    assert "Main St & Pico Blvd" in corners
    street = client.get("/report/places.json", {"q": "main st"}).json()["results"]
    assert street and all(r["label"].startswith("Main St & ") for r in street)  # its corners, to choose from
    park = client.get("/report/places.json", {"q": "tongva"}).json()["results"][0]
    assert (park["label"], park["detail"]) == ("Tongva Park", "1615 Ocean Ave")


def test_suggestions_are_bounded(client, santa_monica):
    assert client.get("/report/places.json", {"q": "ma"}).json()["results"] == []  # too short to ask
    long = client.get("/report/places.json", {"q": "1685 Main St " + "x" * 5000}).json()
    assert len(long["query"]) <= 120
    assert len(client.get("/report/places.json", {"q": "1 a"}).json()["results"]) <= 6
    assert client.post("/report/places.json", {"q": "1685 main"}).status_code == 405


def test_a_typed_address_is_placed_zoned_routed_and_checked_for_duplicates(client, service, santa_monica):
    potholes = service("potholes")
    ocean_park = Zone.objects.get(jurisdiction=santa_monica, slug="ocean-park")
    planning = Department.objects.get(slug="planning-community-development")
    RoutingRule.objects.create(jurisdiction=santa_monica, service=potholes, zone=ocean_park, department=planning)
    typed = pothole_form(lat=None, lng=None, address="2601 main street")
    checked = client.post("/report/potholes", {**typed, "action": "check"}).content.decode()
    assert "Found on the map: 2601 Main St · Ocean Park neighborhood" in checked
    assert "Nobody has reported this kind of problem right there yet" in checked

    assert client.post("/report/potholes", typed).status_code == 302
    created = ServiceRequest.objects.get()
    assert created.address == "2601 Main St" and created.lat is not None and created.cell is not None
    assert created.zone == ocean_park and created.department == planning  # routed by its zone

    again = client.post("/report/potholes", {**typed, "action": "check"}).content.decode()
    assert "Is it one of these?" in again and f'data-candidate="{created.public_id}"' in again


def test_a_typed_address_outside_the_city_is_refused_like_a_pin(client, service):
    response = client.post("/report/potholes", pothole_form(lat=None, lng=None, address="Tongva Park"))
    assert response.status_code == 302  # a named place inside the city
    assert ServiceRequest.objects.get().address == "Tongva Park"


def test_an_address_we_cannot_place_says_so_and_the_report_still_goes(client, service):
    typed = pothole_form(lat=None, lng=None, address="99999 Nowhere Rd", place_description="By the blue door")
    checked = client.post("/report/potholes", {**typed, "action": "check"}).content.decode()
    assert "We could not find this address on the map" in checked and "“99999 Nowhere Rd”" in checked
    assert "This place is in the city" not in checked
    assert client.post("/report/potholes", typed).status_code == 302
    created = ServiceRequest.objects.get()
    assert (created.address, created.location_description, created.lat) == (
        "99999 Nowhere Rd",
        "By the blue door",
        None,
    )


def test_an_address_we_cannot_place_says_so_in_spanish(client, service):
    client.post("/i18n/setlang/", {"language": "es", "next": "/report"})
    typed = pothole_form(lat=None, lng=None, address="99999 Nowhere Rd", action="check")
    checked = client.post("/report/potholes", typed).content.decode()
    assert "No encontramos esta dirección en el mapa" in checked


def test_a_point_gets_its_nearest_address_in_the_form_and_on_the_request(client, service):
    fragment = client.get("/report/place", {"service": "potholes", "lat": CITY_HALL[0], "lng": CITY_HALL[1]})
    assert "Near 1" in fragment.content.decode() or "At Main St &amp;" in fragment.content.decode()
    assert client.post("/report/potholes", pothole_form()).status_code == 302
    created = ServiceRequest.objects.get()
    assert created.address.startswith(("near 16", "near 17", "Main St & ")) and "Main St" in created.address


def test_a_point_with_an_address_typed_keeps_the_typed_words(client, service):
    existing = submit(service("potholes"), at=CITY_HALL)
    assert client.post("/report/potholes", pothole_form(address="Outside the side door")).status_code == 302
    created = ServiceRequest.objects.exclude(pk=existing.pk).get()
    assert created.address == "Outside the side door" and created.lat == pytest.approx(CITY_HALL[0])


def test_the_place_comes_back_on_the_confirmation_and_tracking_pages(client, service):
    typed = pothole_form(lat=None, lng=None, address=OCEAN_PARK_LIBRARY)
    confirmation = client.get(client.post("/report/potholes", typed)["Location"]).content.decode()
    created = ServiceRequest.objects.get()
    for page in (confirmation, client.get(f"/requests/{created.public_id}").content.decode()):
        assert "<p data-place-address>2601 Main St</p>" in page
        assert "Ocean Park neighborhood" in page and "data-place-map" in page


def test_staff_see_near_an_address_instead_of_bare_coordinates(client, people, service):
    from cityhall.staff.templatetags.staff import near_address

    located = submit(service("potholes"), at=CITY_HALL)
    assert near_address(located).startswith(("Near 16", "Near 17", "Main St & "))


def test_near_is_said_in_spanish_on_the_tracking_page(client, service):
    assert client.post("/report/potholes", pothole_form()).status_code == 302
    created = ServiceRequest.objects.get()
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.get(f"/requests/{created.public_id}").content.decode()
    if created.address.startswith("near "):
        assert f"Cerca de {created.address[5:]}" in page
    assert "Barrio Pico" in page

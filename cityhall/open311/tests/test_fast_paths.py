"""What the hot paths' shortcuts must never change for a client: full pages, fresh catalogue, the same bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityhall.catalogue.models import Department, RoutingRule, Zone
from cityhall.core import clock
from cityhall.geo.cells import distance_m
from cityhall.open311.serialize import w3c
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import CITY_HALL, submit

from .helpers import BASE, assert_error, call_wsgi, created_id, describe, report

pytestmark = pytest.mark.django_db

ZONES = ["America/Los_Angeles", "Australia/Lord_Howe", "Asia/Kathmandu", "Europe/London", "UTC"]


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)),
    zone=st.sampled_from(ZONES),
)
def test_remembered_moments_read_exactly_as_the_zone_says(moment, zone):
    expected = moment.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")
    assert w3c(moment, ZoneInfo(zone)) == expected
    assert w3c(moment, ZoneInfo(zone)) == expected  # the second answer comes from memory


def test_a_radius_page_is_full_even_when_newer_requests_lie_just_outside(client, service):
    """The circle is applied in the query, so pagination counts only requests inside it."""
    lat, lng = CITY_HALL
    inside = [submit(service("potholes"), at=(lat + 0.0005 * i, lng)) for i in range(4)]  # up to 170 m north
    with clock.travel(clock.now() + timedelta(minutes=5)):
        # Newer, in the ring of cells the search reads, but 330-450 m away: outside a 300 m circle.
        outside = [submit(service("potholes"), at=(lat + 0.003 + 0.0005 * i, lng)) for i in range(3)]
    for request in outside:
        assert 300 < distance_m(lat, lng, request.lat, request.lng) < 500
    response = client.get(f"{BASE}requests.json", {"lat": lat, "long": lng, "radius": 300, "page_size": 3})
    assert response.status_code == 200, describe(response)
    assert len(response.json()) == 3
    assert {row["service_request_id"] for row in response.json()} <= {r.public_id for r in inside}


def test_radius_pages_follow_one_another_when_one_spot_holds_most_of_the_newest(client, service):
    """Each cell is read for its newest matches; a later page must still see deep into a crowded cell."""
    lat, lng = CITY_HALL
    spots = [(lat, lng)] * 7 + [(lat + 0.001, lng), (lat, lng + 0.0015), (lat - 0.0012, lng - 0.001)]
    spots += [(lat + 0.004, lng)]  # about 445 m north: outside the circle
    made = []
    for minutes, spot in enumerate(spots):
        with clock.travel(clock.now() + timedelta(minutes=minutes)):
            made.append(submit(service("potholes"), at=spot))
    inside = [r.public_id for r in reversed(made) if distance_m(lat, lng, r.lat, r.lng) <= 300]
    assert len(inside) == 10
    pages = []
    for page in (1, 2, 3, 4):
        response = client.get(
            f"{BASE}requests.json", {"lat": lat, "long": lng, "radius": 300, "page_size": 3, "page": page}
        )
        assert response.status_code == 200, describe(response)
        pages.append([row["service_request_id"] for row in response.json()])
    assert pages == [inside[0:3], inside[3:6], inside[6:9], inside[9:10]]


def test_a_service_closed_in_the_admin_refuses_the_next_post_at_once(client, key, service):
    created_id(client.post(f"{BASE}requests.json", report(api_key=key)))  # the service is now remembered
    potholes = service("potholes")
    potholes.active = False
    potholes.save()
    assert_error(client.post(f"{BASE}requests.json", report(api_key=key)), 400, "json")


def test_a_new_routing_rule_routes_the_next_post_at_once(client, key, service, santa_monica):
    created_id(client.post(f"{BASE}requests.json", report(api_key=key)))
    zone = Zone.objects.filter(jurisdiction=santa_monica).first()
    assert zone is not None
    lat, lng = zone_point(zone)
    parks = Department.objects.create(jurisdiction=santa_monica, name="Parks test crew", slug="parks-test")
    RoutingRule.objects.create(jurisdiction=santa_monica, service=service("potholes"), zone=zone, department=parks)
    made = created_id(client.post(f"{BASE}requests.json", report(api_key=key, lat=str(lat), long=str(lng))))
    assert ServiceRequest.objects.get(public_id=made).department == parks


def zone_point(zone: Zone) -> tuple[float, float]:
    from cityhall.core.geometry import parse_area

    point = parse_area(zone.geometry).representative_point()
    return point.y, point.x


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("santa_monica")
def test_the_api_answers_through_its_short_chain_with_the_security_headers():
    answer = call_wsgi("/open311/v2/services.json")
    assert answer.status_code == 200, describe(answer)
    assert answer.get("X-Content-Type-Options") == "nosniff"
    assert not answer.get("Set-Cookie") and "cookie" not in answer.get("Vary").lower()
    assert b"potholes" in answer.content
    answer = call_wsgi("//open311//v2//services.xml")
    assert answer.status_code == 200 and answer.content.startswith(b"<?xml")
    answer = call_wsgi("/open311/v2/nothing.json")
    assert answer.status_code == 404 and answer.get("Content-Type").startswith("application/json")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("santa_monica")
def test_the_site_keeps_its_full_chain():
    answer = call_wsgi("/")
    assert answer.status_code == 200, describe(answer)
    assert answer.get("Content-Security-Policy") and answer.get("X-Frame-Options") == "DENY"
    assert "accept-language" in answer.get("Vary").lower()  # the language middleware ran

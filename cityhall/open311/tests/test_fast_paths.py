"""What the hot paths' shortcuts must never change for a client: full pages, fresh catalogue, the same bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from cityhall.catalogue.models import Department, RoutingRule, Zone
from cityhall.core import clock
from cityhall.geo.cells import distance_m
from cityhall.open311.serialize import w3c
from cityhall.requests import access, services
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import CITY_HALL, jpeg_with_gps, submit
from cityhall.requests.workflow import Action, Resolution

from .helpers import BASE, assert_error, call_wsgi, created_id, describe, report, window

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


def _item(client, public_id: str, **headers) -> dict:
    (item,) = [i for i in client.get(f"{BASE}requests.json", **headers).json() if i["service_request_id"] == public_id]
    return item


def test_a_polled_list_shows_what_changed_since_the_last_poll(client, people, service):
    """Items are remembered between polls (requests/row_shape.py) under all they show: a change shows at once."""
    request = submit(service("potholes"), description="Deep hole by the bus stop")
    before = _item(client, request.public_id)
    assert (before["status"], before["status_notes"], before["description"]) == (
        "open",
        None,
        "Deep hole by the bus stop",
    )
    admin = access.actor_for(people["admin"], request)
    change = services.Change(resolution=Resolution.FIXED, public_note="Filled today.", photos=[jpeg_with_gps((64, 48))])
    with clock.travel(clock.now() + timedelta(minutes=1)):
        services.service_request_transition(service_request=request, action=Action.RESOLVE, actor=admin, change=change)
    after = _item(client, request.public_id)
    assert (after["status"], after["status_notes"]) == ("closed", "Filled today.")
    assert after["updated_datetime"] > before["updated_datetime"]


def test_a_polled_list_speaks_each_client_s_language_and_gives_each_host_its_photo_addresses(client, key):
    public_id = created_id(
        client.post(
            f"{BASE}requests.json",
            {**report(api_key=key), "media": SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg")},
        )
    )
    english = _item(client, public_id)
    spanish = _item(client, public_id, HTTP_ACCEPT_LANGUAGE="es")
    assert (english["service_name"], spanish["service_name"]) == ("Potholes", "Baches")
    elsewhere = _item(client, public_id, HTTP_HOST="localhost")
    assert english["media_url"].startswith("http://testserver/")
    assert elsewhere["media_url"] == english["media_url"].replace("http://testserver/", "http://localhost/")


def test_a_polled_update_shows_the_status_its_request_reached_since(client, people, service):
    request = submit(service("potholes"))
    admin = access.actor_for(people["admin"], request)
    change = services.Change(public_note="Inspected: it is deep.")
    comment = services.service_request_transition(
        service_request=request, action=Action.COMMENT, actor=admin, change=change
    )

    def the_comment() -> dict:
        (item,) = [
            u
            for u in client.get(f"{BASE}servicerequestupdates.json", window()).json()
            if u["update_id"] == str(comment.pk)
        ]
        return item

    assert the_comment()["status"] != "FIXED"
    change = services.Change(resolution=Resolution.FIXED, public_note="Filled today.", photos=[jpeg_with_gps((64, 48))])
    services.service_request_transition(service_request=request, action=Action.RESOLVE, actor=admin, change=change)
    assert the_comment()["status"] == "FIXED"
    assert the_comment()["description"] == "Inspected: it is deep."


def test_a_new_request_whose_public_id_is_taken_gets_a_fresh_one_and_leaves_the_other_alone(
    client, key, service, monkeypatch
):
    """The INSERT is written by hand (core/bulk.insert_instance): a taken id is skipped, never overwritten."""
    holder = submit(service("potholes"), description="The first one")
    ids = iter([holder.public_id, holder.public_id, "77777777"])
    monkeypatch.setattr("cityhall.requests.services.submit.new_public_id", lambda: next(ids))
    made = created_id(client.post(f"{BASE}requests.json", report(api_key=key, description="The second one")))
    assert made == "77777777"
    assert ServiceRequest.objects.filter(public_id=holder.public_id).get().description == "The first one"
    second = ServiceRequest.objects.get(public_id=made)
    assert second.description == "The second one"
    assert [event.kind for event in second.events.order_by("id")] == ["submitted", "transition"]
    assert client.get(f"{BASE}requests/{made}.json").json()[0]["description"] == "The second one"


def test_every_list_shows_a_request_s_moments_to_the_second_in_the_city_s_time(client, service):
    """The lists read moments as whole seconds in SQL: the second shown is the one the request was made in."""
    made_at = (clock.now() - timedelta(days=1)).replace(microsecond=987_654)  # a breath before the next second
    with clock.travel(made_at):
        made = submit(service("potholes"))
    expected = made_at.astimezone(ZoneInfo("America/Los_Angeles")).isoformat(timespec="seconds")
    lat, lng = CITY_HALL
    queries = {
        "first page": {},
        "by service": {"service_code": "potholes", "status": "open"},
        "box": {"bbox": f"{lng - 0.01},{lat - 0.01},{lng + 0.01},{lat + 0.01}"},
        "circle": {"lat": lat, "long": lng, "radius": 300},
        "with extensions": {"extensions": "true"},
    }
    for name, query in queries.items():
        rows = client.get(f"{BASE}requests.json", query).json()
        row = next(row for row in rows if row["service_request_id"] == made.public_id)
        assert (row["requested_datetime"], row["updated_datetime"]) == (expected, expected), name
    updates = client.get(f"{BASE}servicerequestupdates.json", window(before=timedelta(days=2))).json()
    assert {update["updated_datetime"] for update in updates if update["service_request_id"] == made.public_id} == {
        expected
    }

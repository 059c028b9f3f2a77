"""§12 rules 15–17 (behaviour): GET requests filters and our extensions, batch tokens, FixMyStreet updates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cityhall.core import clock
from cityhall.requests import access, services
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, jpeg_with_gps, put_in_status, submit
from cityhall.requests.workflow import Action, Resolution, Status

from .helpers import (
    BASE,
    FORMATS,
    assert_error,
    body,
    bulk_requests,
    created_id,
    describe,
    get_both,
    nothing_written,
    report,
    sent_by,
    stamp,
)

pytestmark = pytest.mark.django_db


def ids(client, **params) -> set[str]:
    response = client.get(f"{BASE}requests.json", params)
    assert response.status_code == 200, describe(response)
    return {item["service_request_id"] for item in response.json()}


@pytest.fixture
def three(service, public_works):
    """An open pothole, a closed graffiti report and an open trip hazard, all from today."""
    pothole = submit(service("potholes"), description="Deep pothole")
    graffiti = put_in_status(
        submit(service("graffiti-public-property")), Status.CLOSED, department=public_works, assignee=None
    )
    trip = submit(service("trip-hazards"), at=OCEAN_PARK, description="Lifted slab by the bench")
    return pothole.public_id, graffiti.public_id, trip.public_id


# ---------------------------------------------------------------- rule 15: filters


def test_rule_15_service_request_id_list_overrides_every_other_filter(client, service, three):
    pothole, graffiti, trip = three
    with clock.travel(clock.now() - timedelta(days=200)):
        old = submit(service("potholes")).public_id
    found = ids(
        client,
        service_request_id=f"{pothole},{graffiti},{old}",
        service_code="trip-hazards",
        status="open",
        start_date="2001-01-01T00:00:00Z",
        end_date="2001-01-02T00:00:00Z",
    )
    assert found == {pothole, graffiti, old}
    assert ids(client, service_request_id=f" {trip} , ") == {trip}


def test_rule_15_service_code_and_status_are_comma_lists(client, three):
    pothole, graffiti, trip = three
    assert ids(client, service_code="potholes,graffiti-public-property") == {pothole, graffiti}
    assert ids(client, service_code="trip-hazards") == {trip}
    assert ids(client, status="open") == {pothole, trip}
    assert ids(client, status="closed") == {graffiti}
    assert ids(client, status="open,closed") == {pothole, graffiti, trip}
    assert ids(client, status="closed", service_code="potholes,graffiti-public-property") == {graffiti}


def test_rule_15_dates_bound_requested_datetime_and_default_to_90_days(client, service):
    now = clock.now()
    with clock.travel(now - timedelta(days=89)):
        recent = submit(service("potholes")).public_id
    with clock.travel(now - timedelta(days=120)):
        old = submit(service("potholes")).public_id
    assert recent in ids(client) and old not in ids(client)
    around_old = {"start_date": stamp(now - timedelta(days=121)), "end_date": stamp(now - timedelta(days=119))}
    assert ids(client, **around_old) == {old}
    assert ids(client, start_date=stamp(now - timedelta(days=90)), end_date=stamp(now)) == {recent}


def test_rule_15_at_most_1000_rows_by_default(client, service):
    bulk_requests(service("potholes"), 1001)
    response = client.get(f"{BASE}requests.json")
    assert response.status_code == 200, describe(response)
    rows = response.json()
    assert len(rows) == 1000
    assert "100000000" in {row["service_request_id"] for row in rows}  # the newest is in


def test_rule_15_page_and_page_size_with_count_as_an_alias(client, service):
    made = {row.public_id for row in bulk_requests(service("potholes"), 7)}
    pages = [ids(client, page_size=3, page=page) for page in (1, 2, 3, 4)]
    assert [len(page) for page in pages] == [3, 3, 1, 0]
    assert set().union(*pages) == made
    assert ids(client, page_size=3) == pages[0]
    assert ids(client, count=3, page=2) == pages[1]
    for fmt in FORMATS:
        assert len(body(client.get(f"{BASE}requests.{fmt}", {"page_size": 2}), "requests", fmt)) == 2


# ---------------------------------------------------------------- our extensions


def test_extension_updated_after_and_updated_before(client, service):
    now = clock.now()
    with clock.travel(now - timedelta(hours=5)):
        earlier = submit(service("potholes")).public_id
    with clock.travel(now - timedelta(hours=1)):
        later = submit(service("potholes")).public_id
    assert ids(client, updated_after=stamp(now - timedelta(hours=3))) == {later}
    assert ids(client, updated_before=stamp(now - timedelta(hours=3))) >= {earlier}
    assert later not in ids(client, updated_before=stamp(now - timedelta(hours=3)))


def test_extension_bbox_and_radius(client, three):
    pothole, _graffiti, trip = three
    lat, lng = CITY_HALL
    around_city_hall = f"{lng - 0.002},{lat - 0.002},{lng + 0.002},{lat + 0.002}"
    assert pothole in ids(client, bbox=around_city_hall) and trip not in ids(client, bbox=around_city_hall)
    near = ids(client, lat=str(lat), long=str(lng), radius="300")
    assert pothole in near and trip not in near
    assert {pothole, trip} <= ids(client, lat=str(lat), long=str(lng), radius="5000")
    assert_error(client.get(f"{BASE}requests.json", {"lat": lat, "long": lng, "radius": "5001"}), 400, "json")
    assert_error(client.get(f"{BASE}requests.json", {"bbox": "1,2,3"}), 400, "json")


def test_extension_q_searches_description_and_service_name(client, three):
    pothole, _graffiti, trip = three
    assert ids(client, q="bench") == {trip}
    assert pothole in ids(client, q="pothole")
    assert ids(client, q="nothing-like-this") == set()


# ---------------------------------------------------------------- rule 16: batch tokens


def test_rule_16_batch_services_return_a_token_resolvable_at_tokens(client, key, service):
    batch = service("potholes")
    batch.type = "batch"
    batch.save()
    listed = {item["service_code"]: item for item in get_both(client, "services", "services")}
    assert listed["potholes"]["type"] == "batch"
    for fmt in FORMATS:
        response = client.post(f"{BASE}requests.{fmt}", report(api_key=key))
        assert response.status_code == 200, describe(response)
        (item,) = body(response, "post_result", fmt)
        assert set(item) == {"token"}
        (resolved,) = get_both(client, f"tokens/{item['token']}", "tokens")
        (request,) = get_both(client, f"requests/{resolved['service_request_id']}", "request_one")
        assert request["service_code"] == "potholes"


def test_rule_16_realtime_services_return_the_id_at_once(client, key):
    for fmt in FORMATS:
        (item,) = body(client.post(f"{BASE}requests.{fmt}", report(api_key=key)), "post_result", fmt)
        assert "token" not in item
        (request,) = get_both(client, f"requests/{item['service_request_id']}", "request_one")
        assert request["status"] == "open"


# ---------------------------------------------------------------- rule 17: FixMyStreet updates


def updates_of(client, public_id: str, **window) -> list[dict]:
    now = clock.now()
    params = {"start_date": stamp(now - timedelta(hours=2)), "end_date": stamp(now + timedelta(minutes=5)), **window}
    return [
        u
        for u in get_both(client, "servicerequestupdates", "request_updates", params)
        if u["service_request_id"] == public_id
    ]


def test_rule_17_fixmystreet_sends_a_report_and_fetches_the_city_s_updates(client, key, people):
    public_id = created_id(client.post(f"{BASE}requests.json", report(api_key=key)))
    request = ServiceRequest.objects.get(public_id=public_id)
    admin = access.actor_for(people["admin"], request)
    change = services.Change(resolution=Resolution.FIXED, public_note="Filled today.", photos=[jpeg_with_gps((64, 48))])
    services.service_request_transition(service_request=request, action=Action.RESOLVE, actor=admin, change=change)
    updates = updates_of(client, public_id)
    assert updates and updates[-1]["status"] == "FIXED" and updates[-1]["description"] == "Filled today."
    assert updates[0]["status"] in ("FOR_TRIAGE", "OPEN")
    assert updates[-1]["media_url"], "the completion photo comes with the update"
    stale = {"start_date": stamp(clock.now() - timedelta(days=3)), "end_date": stamp(clock.now() - timedelta(days=2))}
    assert updates_of(client, public_id, **stale) == []


def test_rule_17_fixmystreet_posts_its_users_updates(client, key, people, service):
    request = sent_by(service("trip-hazards"))
    form = {"api_key": key, "service_request_id": request.public_id, "update_id": "fms-1", "status": "OPEN"}
    response = client.post(f"{BASE}servicerequestupdates.xml", {**form, "description": "Still tripping people."})
    (item,) = body(response, "update_post_result", "xml")
    assert item["update_id"]
    assert "Still tripping people." in [u["description"] for u in updates_of(client, request.public_id)]

    admin = access.actor_for(people["admin"], request)
    change = services.Change(
        resolution=Resolution.FIXED, public_note="Slab ground down.", photos=[jpeg_with_gps((64, 48))]
    )
    services.service_request_transition(service_request=request, action=Action.RESOLVE, actor=admin, change=change)
    response = client.post(f"{BASE}servicerequestupdates.json", {**form, "update_id": "fms-2", "status": "FIXED"})
    body(response, "update_post_result", "json")
    (now,) = get_both(client, f"requests/{request.public_id}", "request_one")
    assert now["status"] == "closed"

    response = client.post(
        f"{BASE}servicerequestupdates.json", {**form, "update_id": "fms-3", "description": "It broke again."}
    )
    body(response, "update_post_result", "json")
    (now,) = get_both(client, f"requests/{request.public_id}", "request_one")
    assert now["status"] == "open"


@pytest.mark.parametrize("fmt", FORMATS)
def test_rule_17_bad_update_posts_are_open311_errors(client, key, service, fmt):
    request = sent_by(service("potholes"))
    form = {"api_key": key, "service_request_id": request.public_id, "update_id": "fms-9", "description": "Hello"}
    with nothing_written():
        assert_error(client.post(f"{BASE}servicerequestupdates.{fmt}", {**form, "api_key": ""}), 403, fmt)
        assert_error(client.post(f"{BASE}servicerequestupdates.{fmt}", {**form, "api_key": "nope"}), 403, fmt)
        assert_error(
            client.post(f"{BASE}servicerequestupdates.{fmt}", {**form, "service_request_id": "99999999"}), 404, fmt
        )
        assert_error(client.post(f"{BASE}servicerequestupdates.{fmt}", {**form, "service_request_id": ""}), 400, fmt)
        assert_error(client.post(f"{BASE}servicerequestupdates.{fmt}", {**form, "description": ""}), 400, fmt)
    now = clock.now()
    reversed_window = {"start_date": stamp(now), "end_date": stamp(now - timedelta(hours=1))}
    assert_error(client.get(f"{BASE}servicerequestupdates.{fmt}", reversed_window), 400, fmt)
    too_long = {"start_date": stamp(now - timedelta(days=91)), "end_date": stamp(now)}
    assert_error(client.get(f"{BASE}servicerequestupdates.{fmt}", too_long), 400, fmt)

"""Reading through the JSON API: pages by cursor, filters, one request, its timeline, categories, ETags."""

from __future__ import annotations

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityhall.catalogue.models import Service
from cityhall.core import clock
from cityhall.requests.tests.builders import submit
from cityhall.requests.workflow import Status


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in json.loads(response.content)["items"]]


def every_page(reader, params: dict) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        response = reader.get("/requests", {**params, **({"cursor": cursor} if cursor else {})})
        seen += ids(response)
        cursor = json.loads(response.content)["next_cursor"]
        if cursor is None:
            return seen


def test_pages_walk_every_public_request_newest_first_and_stay_put_under_inserts(reader, service):
    start = clock.now() - timedelta(days=1)
    made = []
    for minute in range(7):
        with clock.travel(start + timedelta(minutes=minute)):
            made.append(submit(service("potholes")).public_id)
    newest_first = made[::-1]

    first = reader.get("/requests", {"limit": 3})
    assert ids(first) == newest_first[:3]
    cursor = json.loads(first.content)["next_cursor"]
    # A request filed while the partner pages is newer than its cursor: the next page is not shifted.
    submit(service("potholes"))
    second = reader.get("/requests", {"limit": 3, "cursor": cursor})
    assert ids(second) == newest_first[3:6]
    assert every_page(reader, {"limit": 3})[1:] == newest_first  # the one filed meanwhile comes first


def test_filters_by_category_status_and_dates(reader, service):
    earlier = clock.now() - timedelta(days=3)
    with clock.travel(earlier):
        old_pothole = submit(service("potholes"))
    pothole = submit(service("potholes"))
    graffiti = submit(service("graffiti-public-property"))

    assert set(ids(reader.get("/requests", {"service_code": "potholes"}))) == {pothole.public_id, old_pothole.public_id}
    both = reader.get("/requests", {"service_code": ["potholes", "graffiti-public-property"]})
    assert set(ids(both)) == {pothole.public_id, old_pothole.public_id, graffiti.public_id}
    since = (earlier + timedelta(days=1)).isoformat()
    assert set(ids(reader.get("/requests", {"requested_after": since}))) == {pothole.public_id, graffiti.public_id}
    assert ids(reader.get("/requests", {"requested_before": since})) == [old_pothole.public_id]
    assert ids(reader.get("/requests", {"status": Status.CLOSED.value})) == []
    routed = ids(reader.get("/requests", {"status": pothole.status}))
    assert pothole.public_id in routed


def test_a_bad_filter_is_refused_naming_it(reader):
    unknown = reader.get("/requests", {"service_code": "pot-holes"})
    assert unknown.status_code == 422
    assert json.loads(unknown.content)["errors"] == [
        {"field": "service_code", "message": "There is no public category “pot-holes”."}
    ]
    for params, field in [
        ({"limit": 201}, "limit"),
        ({"status": "lost"}, "status.0"),
        ({"requested_after": "2026-01-01T00:00:00"}, "requested_after"),  # no offset: which zone?
        ({"requested_after": "0001-01-01T00:00:00+05:00"}, "requested_after"),
        ({"requested_after": "7"}, "requested_after"),  # a number, not RFC 3339: once read as 1970
        ({"updated_after": "2026-01-01 00:00:00Z"}, "updated_after"),  # a space for the T
        ({"cursor": "bm90LWEtY3Vyc29y"}, "cursor"),
    ]:
        refused = reader.get("/requests", params)
        assert refused.status_code == 422, (params, refused.content)
        assert [error["field"] for error in json.loads(refused.content)["errors"]] == [field], refused.content


def test_a_partner_reads_public_text_only_and_never_private_categories(reader, service, santa_monica):
    shown = submit(
        service("potholes"),
        description="Deep hole, call Maria Lopez at 310-555-0100 or maria@example.org",
        contact=None,
        place_note="",
    )
    from cityhall.requests import services as request_services

    private = Service.objects.filter(jurisdiction=santa_monica, is_private=True).first()
    assert private is not None
    hidden = request_services.service_request_submit(
        service=private,
        location=request_services.Location(lat=34.0115, lng=-118.4917),
        description="Something private",
        attributes={},
        contact=request_services.Contact(name="Maria Lopez", email="maria@example.org", phone="310-555-0100"),
    )

    listed = reader.get("/requests")
    one = reader.get(f"/requests/{shown.public_id}")
    for response in (listed, one):
        text = response.content.decode()
        assert "310-555-0100" not in text and "maria@example.org" not in text and "someone@example.org" not in text
    assert json.loads(one.content)["description"] == "Deep hole, call Maria Lopez at … or …"
    assert hidden.public_id not in ids(listed)
    assert reader.get(f"/requests/{hidden.public_id}").status_code == 404
    assert reader.get(f"/requests/{hidden.public_id}/events").status_code == 404


def test_a_request_and_its_public_timeline(reader, service, people):
    pothole = submit(service("potholes"))
    one = json.loads(reader.get(f"/requests/{pothole.public_id}").content)
    assert one["id"] == pothole.public_id and one["service_code"] == "potholes"
    assert one["actions"] == []  # a read-only key may do nothing to it
    events = json.loads(reader.get(f"/requests/{pothole.public_id}/events").content)
    assert events[0]["kind"] == "submitted"
    assert reader.get("/requests/99999999").status_code == 404


def test_categories_and_their_questions(reader):
    listed = json.loads(reader.get("/services").content)
    potholes = next(item for item in listed if item["code"] == "potholes")
    assert potholes["has_questions"] is True
    one = json.loads(reader.get("/services/potholes").content)
    size = next(question for question in one["questions"] if question["code"] == "SIZE")
    assert size["required"] is True and [choice["key"] for choice in size["choices"]] == ["S", "M", "L"]
    spanish = json.loads(reader.get("/services/potholes", **{"Accept-Language": "es"}).content)
    assert spanish["name"] == "Baches"
    assert reader.get("/services/pot-holes").status_code == 404


def test_a_read_is_tagged_and_a_matching_if_none_match_gets_304(reader, service):
    pothole = submit(service("potholes"))
    first = reader.get(f"/requests/{pothole.public_id}")
    tag = first["ETag"]
    assert tag and "Authorization" in first["Vary"]
    again = reader.get(f"/requests/{pothole.public_id}", **{"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert reader.get("/requests", **{"If-None-Match": tag}).status_code == 200  # another body, another tag
    # A change gives a new tag: the old one no longer matches.
    submit(service("potholes"))
    listing = reader.get("/requests")
    assert reader.get("/requests", **{"If-None-Match": listing["ETag"]}).status_code == 304
    submit(service("potholes"))
    assert reader.get("/requests", **{"If-None-Match": listing["ETag"]}).status_code == 200


def test_a_page_costs_three_queries_whatever_its_size(reader, service):
    for _ in range(30):
        submit(service("potholes"))

    def queries(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(ids(reader.get("/requests", {"limit": limit}))) == limit
        return len(captured)

    # Within one minute, as a busy partner pages: the key, its per-minute counter, the page. The key's
    # "last used" is stamped by the minute's first call; the catalogue labels and the city are cached.
    with clock.travel(clock.now().replace(second=0)):
        queries(1)
        assert [queries(2), queries(25), queries(30)] == [3, 3, 3]

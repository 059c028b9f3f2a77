"""Real responses, through HTTP, checked against the checked-in wire format (cityhall/open311/contract/).

Each JSON body is validated against our schema and the Open311 community's; each XML body against
xml-shapes.json, then compared with the JSON answer to the same request (the Spark convention).
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityhall.catalogue.models import Service, ServiceAttribute
from cityhall.core import clock
from cityhall.requests import access, services
from cityhall.requests.models import Attachment, RequestEvent, ServiceRequest
from cityhall.requests.tests.builders import CITY_HALL, jpeg_with_gps, submit
from cityhall.requests.workflow import Action

from .helpers import (
    BASE,
    CONTRACT,
    FORMATS,
    SHAPES,
    assert_error,
    body,
    bulk_requests,
    created_id,
    describe,
    get_both,
    report,
    sent_by,
    stamp,
    window,
)

pytestmark = pytest.mark.django_db


def test_discovery(client, santa_monica):
    data = get_both(client, "discovery", "discovery")
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert endpoint["url"].rstrip("/").endswith("/open311/v2")


def test_service_list(client, santa_monica):
    data = get_both(client, "services", "services")
    codes = [item["service_code"] for item in data]
    assert len(codes) == len(set(codes))
    listed = Service.objects.filter(jurisdiction=santa_monica, active=True, is_private=False)
    assert set(codes) == set(listed.values_list("code", flat=True))
    assert not set(codes) & set(Service.objects.filter(is_private=True).values_list("code", flat=True))
    by_code = {item["service_code"]: item for item in data}
    assert by_code["potholes"]["metadata"] is True and by_code["potholes"]["type"] == "realtime"
    with_questions = set(ServiceAttribute.objects.values_list("service__code", flat=True))
    assert {code for code, item in by_code.items() if item["metadata"]} == with_questions & set(codes)


def test_service_list_metadata_follows_a_new_question(client, santa_monica):
    """A client that trusts `metadata: false` never asks for the definition, then fails on a required answer."""
    before = {item["service_code"]: item for item in get_both(client, "services", "services")}
    code = next(code for code, item in before.items() if not item["metadata"])
    ServiceAttribute.objects.create(
        service=Service.objects.get(code=code), code="WHERE", datatype="string", required=True, description="Where?"
    )
    after = {item["service_code"]: item for item in get_both(client, "services", "services")}
    assert after[code]["metadata"] is True, f"{code} has a required question now but the list says metadata=false"


def test_service_definition_of_potholes(client, santa_monica):
    data = get_both(client, "services/potholes", "service_definition")
    assert data["service_code"] == "potholes"
    attributes = {item["code"]: item for item in data["attributes"]}
    size, hazards = attributes["SIZE"], attributes["HAZARDS"]
    assert (size["datatype"], size["required"], size["variable"]) == ("singlevaluelist", True, True)
    assert [v["key"] for v in size["values"]] == ["S", "M", "L"]
    assert all(v["name"] for v in size["values"])
    assert (hazards["datatype"], hazards["required"]) == ("multivaluelist", False)
    assert [v["key"] for v in hazards["values"]] == ["TRAFFIC", "BIKES", "WATER", "PEDESTRIANS"]
    orders = [item["order"] for item in data["attributes"]]
    assert orders == sorted(orders) and len(set(orders)) == len(orders) and min(orders) >= 1


def test_service_definition_of_a_non_list_question_has_no_values(client, santa_monica):
    data = get_both(client, "services/graffiti-public-property", "service_definition")
    area = next(item for item in data["attributes"] if item["code"] == "AREA_SQFT")
    assert area["datatype"] == "number" and area["values"] in ([], None)


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_request_returns_one_request_with_its_id(client, key, fmt):
    response = client.post(f"{BASE}requests.{fmt}", report(api_key=key))
    assert response.status_code == 200, describe(response)
    (item,) = body(response, "post_result", fmt)
    assert "token" not in item
    assert client.get(f"{BASE}requests/{item['service_request_id']}.{fmt}").status_code == 200


def test_get_requests_list_and_one(client, key):
    with_photo = created_id(
        client.post(
            f"{BASE}requests.json",
            {**report(api_key=key), "media": SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg")},
        )
    )
    by_address = created_id(
        client.post(f"{BASE}requests.json", report(api_key=key, lat=None, long=None, address_string="1685 Main St"))
    )
    listed = get_both(client, "requests", "requests")
    by_id = {item["service_request_id"]: item for item in listed}
    assert {with_photo, by_address} <= set(by_id)
    assert by_id[by_address]["lat"] is None and by_id[by_address]["address"] == "1685 Main St"
    assert by_id[with_photo]["media_url"].startswith(("http://", "https://"))
    for public_id in (with_photo, by_address):
        (one,) = get_both(client, f"requests/{public_id}", "request_one")
        assert one == by_id[public_id]


def test_get_requests_with_extensions(client, key, people):
    public_id = created_id(
        client.post(
            f"{BASE}requests.json",
            {**report(api_key=key), "media": SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg")},
        )
    )
    request = ServiceRequest.objects.get(public_id=public_id)
    admin = access.actor_for(people["admin"], request)
    change = services.Change(public_note="A crew is booked for Tuesday.")
    services.service_request_transition(service_request=request, action=Action.COMMENT, actor=admin, change=change)
    listed = get_both(client, "requests", "requests_extended", {"extensions": "true"})
    item = next(item for item in listed if item["service_request_id"] == public_id)
    assert item["extended_attributes"]["channel"] == "open311"
    assert item["extended_attributes"]["photos"] == [item["media_url"]]
    assert item["notes"][0]["type"] == "opened"
    assert "A crew is booked for Tuesday." in [note["description"] for note in item["notes"]]
    (one,) = get_both(client, f"requests/{public_id}", "request_one_extended", {"extensions": "true"})
    assert one == item
    plain = get_both(client, "requests", "requests", {"extensions": "false"})
    assert "notes" not in plain[0] and "extended_attributes" not in plain[0]


def test_batch_service_post_returns_a_token_that_resolves(client, key, santa_monica):
    Service.objects.filter(jurisdiction=santa_monica, code="potholes").update(type="batch")
    for fmt in FORMATS:
        response = client.post(f"{BASE}requests.{fmt}", report(api_key=key))
        assert response.status_code == 200, describe(response)
        (item,) = body(response, "post_result", fmt)
        assert set(item) == {"token"}, describe(response)
        (resolved,) = get_both(client, f"tokens/{item['token']}", "tokens")
        assert resolved["token"] == item["token"]
        assert client.get(f"{BASE}requests/{resolved['service_request_id']}.{fmt}").status_code == 200


def test_servicerequestupdates_get(client, people, service):
    request = submit(service("potholes"))
    admin = access.actor_for(people["admin"], request)
    change = services.Change(public_note="Inspected: it is deep.")
    services.service_request_transition(service_request=request, action=Action.COMMENT, actor=admin, change=change)
    updates = get_both(client, "servicerequestupdates", "request_updates", window())
    mine = [item for item in updates if item["service_request_id"] == request.public_id]
    assert "Inspected: it is deep." in [item["description"] for item in mine]
    assert len({item["update_id"] for item in updates}) == len(updates)


@pytest.mark.parametrize("fmt", FORMATS)
def test_servicerequestupdates_post(client, key, service, fmt):
    request = sent_by(service("potholes"))
    form = {
        "api_key": key,
        "service_request_id": request.public_id,
        "update_id": "fms-8841",
        "updated_datetime": stamp(clock.now()),
        "status": "OPEN",
        "description": "Still there and getting bigger.",
    }
    response = client.post(f"{BASE}servicerequestupdates.{fmt}", form)
    assert response.status_code == 200, describe(response)
    (item,) = body(response, "update_post_result", fmt)
    assert item["update_id"]
    updates = get_both(client, "servicerequestupdates", "request_updates", window())
    assert "Still there and getting bigger." in [
        u["description"] for u in updates if u["service_request_id"] == request.public_id
    ]


ERRORS = [
    ("get", "nothing-here", {}, 404),
    ("get", "services/no-such-service", {}, 404),
    ("get", "requests/00000000", {}, 404),
    ("get", "tokens/no-such-token", {}, 404),
    ("get", "services", {"jurisdiction_id": "example.org"}, 404),
    ("get", "requests", {"start_date": "last tuesday"}, 400),
    ("post", "requests", report(), 403),
    ("post", "requests", report(api_key="wrong"), 403),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("method", "resource", "data", "status"), ERRORS)
def test_errors(client, santa_monica, fmt, method, resource, data, status):
    response = getattr(client, method)(f"{BASE}{resource}.{fmt}", data)
    assert all(assert_error(response, status, fmt))


def _history(rows: list[ServiceRequest], service: Service) -> None:
    """Give bulk rows what the extended view reads: events, photos, duplicates, supporters, zones."""
    now = clock.now()
    RequestEvent.objects.bulk_create(
        [RequestEvent(request=row, created_at=now, kind="submitted", to_status="submitted") for row in rows]
        + [RequestEvent(request=row, created_at=now, kind="comment", public_note="Seen.") for row in rows[::2]]
    )
    Attachment.objects.bulk_create(
        [
            Attachment(
                request=row,
                image=f"requests/aa/{row.public_id}.jpg",
                thumbnail=f"requests/aa/{row.public_id}.t.jpg",
                content_type="image/jpeg",
                width=8,
                height=6,
                size=100,
                sha256="a" * 64,
                created_at=now,
            )
            for row in rows[::3]
        ]
    )
    ServiceRequest.objects.filter(pk__in=[row.pk for row in rows[1::4]]).update(duplicate_of=rows[0], support_count=2)


@pytest.mark.parametrize("extensions", ["false", "true"])
def test_query_count_of_get_requests_does_not_grow_with_page_size(client, service, extensions):
    rows = bulk_requests(service("potholes"), 100)
    _history(rows, service("potholes"))
    client.get(f"{BASE}requests.json")  # warm the per-process caches (jurisdiction, service list)
    counts = {}
    # 100 first: should a cache expire in between, the smaller page pays for it, not the larger.
    for size in (100, 5):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}requests.json", {"page_size": size, "extensions": extensions})
        assert response.status_code == 200 and len(response.json()) == size, describe(response)
        counts[size] = len(queries)
    assert counts[100] <= counts[5] <= 8, counts


@pytest.mark.parametrize("query", [{}, {"lat": CITY_HALL[0], "long": CITY_HALL[1], "radius": 300}])
def test_a_list_asked_again_and_again_answers_the_same_once_prepared(client, service, query):
    """On PostgreSQL the list's statement is prepared after a few runs on a connection: same answers."""
    bulk_requests(service("potholes"), 60)
    answers = [client.get(f"{BASE}requests.json", {"page_size": 20, **query}).json() for _ in range(8)]
    assert len(answers[0]) == 20 and all(answer == answers[0] for answer in answers)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone()[0] >= 1


def test_wire_format_md_names_every_element_of_the_contract():
    text = (CONTRACT / "wire-format.md").read_text()
    named = {word for span in re.findall(r"`([^`]+)`", text) for word in re.findall(r"[a-z_]+", span)}
    elements = set(SHAPES["containers"]) | set(SHAPES["containers"].values())
    for document in SHAPES["documents"].values():
        elements.add(document["root"])
        for name, spec in document["elements"].items():
            elements |= {name, *spec["required"], *spec.get("optional", ())}
    assert not elements - named, f"wire-format.md does not mention {sorted(elements - named)}"

"""Devices and their readings through the JSON API (scope devices): pages, one device, readings, refusals."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cityhall.catalogue.models import Department, Jurisdiction, Service
from cityhall.core import clock
from cityhall.devices.models import Device, Measurement

PIER = (34.0094, -118.4973)
FORBIDDEN = ("credential", "hash", "hint", "window")


@pytest.fixture
def make_device(public_works, service):
    def make(device_id: str, **fields) -> tuple[Device, str]:
        device = Device(
            device_id=device_id,
            kind="litter_bin",
            lat=PIER[0],
            lng=PIER[1],
            department=public_works,
            service=service("other-refuse-and-recycling"),
            rate_limit_per_minute=600,
            **fields,
        )
        credential = device.issue_credential()
        device.save()
        return device, credential

    return make


@pytest.fixture
def devices_reader(partner_for):
    return partner_for("Sensors dashboard", "devices")


def send(client: Client, device: Device, credential: str, records: list[dict]) -> None:
    """The device's own door: a SenML pack over HTTP."""
    pack = [{"bn": f"{device.device_id}:", **records[0]}, *records[1:]]
    response = client.post(
        "/devices/v1/senml", pack, content_type="application/senml+json", HTTP_AUTHORIZATION=f"Bearer {credential}"
    )
    assert response.status_code == 202, response.content


def body(response) -> dict:
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def no_secret_in(text: str, *credentials: str) -> None:
    for credential in credentials:
        assert credential not in text
        assert credential[:8] not in text
    for word in FORBIDDEN:
        assert word not in text.lower()


def test_a_key_with_the_devices_scope_lists_pages_and_reads_one_device_without_its_credential(
    devices_reader, make_device, client
):
    made = []
    for number in range(5):
        made.append(make_device(f"bin-{number:04d}"))
    revoked, _ = made[0]
    revoked.credential_revoked_at = clock.now()
    revoked.save()

    seen, cursor, pages = [], None, 0
    while True:
        page = devices_reader.get("/devices", {"limit": 2, **({"cursor": cursor} if cursor else {})})
        no_secret_in(page.content.decode(), *(credential for _device, credential in made))
        answer = body(page)
        seen += answer["items"]
        pages += 1
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert [item["id"] for item in seen] == [f"bin-{number:04d}" for number in range(4, -1, -1)]
    first = seen[-1]
    assert first == {
        "id": "bin-0000",
        "kind": "litter_bin",
        "lat": PIER[0],
        "lon": PIER[1],
        "department": "public-works",
        "service_code": "other-refuse-and-recycling",
        "last_seen_at": None,
        "active": False,
        "revoked_at": first["revoked_at"],
    }
    assert first["revoked_at"] is not None
    assert all(item["active"] for item in seen[:-1])

    one = devices_reader.get("/devices/bin-0003")
    no_secret_in(one.content.decode(), *(credential for _device, credential in made))
    assert body(one)["id"] == "bin-0003"
    assert one["ETag"]
    again = devices_reader.get("/devices/bin-0003", **{"If-None-Match": one["ETag"]})
    assert again.status_code == 304


def test_an_unknown_device_is_a_404_problem(devices_reader, make_device):
    make_device("bin-0001")
    response = devices_reader.get("/devices/bin-9999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["type"] == "urn:cityhall:problem:not-found"
    assert devices_reader.get("/devices/bin-9999/readings").status_code == 404


def test_devices_of_another_city_are_not_seen(devices_reader, make_device, service):
    make_device("bin-0001")
    elsewhere = Jurisdiction.objects.create(name="Elsewhere", jurisdiction_id="elsewhere.example", boundary={})
    department = Department.objects.create(jurisdiction=elsewhere, name="Works", slug="works")
    category = Service.objects.create(jurisdiction=elsewhere, code="bins", name="Bins")
    Device.objects.create(
        device_id="far-0001", kind="litter_bin", lat=0, lng=0, department=department, service=category
    )
    assert [item["id"] for item in body(devices_reader.get("/devices"))["items"]] == ["bin-0001"]
    assert devices_reader.get("/devices/far-0001").status_code == 404


@pytest.mark.parametrize("path", ["/devices", "/devices/bin-0001", "/devices/bin-0001/readings"])
def test_a_key_without_the_devices_scope_is_refused(partner_for, make_device, path):
    make_device("bin-0001")
    response = partner_for("Hauler", "read", "submit", "webhooks").get(path)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["type"] == "urn:cityhall:problem:out-of-scope"


def test_readings_come_newest_first_a_page_at_a_time_within_the_window(devices_reader, make_device, client):
    device, credential = make_device("bin-0001")
    start = clock.now().replace(microsecond=0) - timedelta(hours=2)
    records = [{"n": "fill", "u": "%", "v": 10 + minute, "t": minute * 60} for minute in range(5)]
    records[0]["bt"] = start.timestamp()
    with clock.travel(start + timedelta(minutes=5)):
        send(client, device, credential, records)
    until = (start + timedelta(minutes=4)).isoformat()
    since = (start - timedelta(minutes=1)).isoformat()

    values, cursor, pages = [], None, 0
    while True:
        params = {"since": since, "until": until, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = devices_reader.get("/devices/bin-0001/readings", params)
        no_secret_in(page.content.decode(), credential)
        answer = body(page)
        values += [(item["measure"], item["value"], item["unit"]) for item in answer["items"]]
        pages += 1
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    # The reading at `until` itself is outside the window [since, until).
    assert values == [("fill", value, "%") for value in (13, 12, 11, 10)]
    assert pages == 2
    everything = body(devices_reader.get("/devices/bin-0001/readings"))["items"]
    assert [item["value"] for item in everything] == [14, 13, 12, 11, 10]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-13-01T00:00:00Z"}, "until"),
        ({"since": "2026-01-01T00:00:00"}, "since"),  # no offset
        # Numbers, not RFC 3339: once read as seconds since 1970, a one-second window answered 200.
        ({"since": "0", "until": "1"}, "since"),
        ({"since": "0", "until": "1"}, "until"),
        ({"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, "since"),
        ({"since": "2026-01-01T00:00:00Z", "until": "2026-03-01T00:00:00Z"}, "until"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(devices_reader, make_device, params, field):
    make_device("bin-0001")
    before = (Device.objects.count(), Measurement.objects.count())
    response = devices_reader.get("/devices/bin-0001/readings", params)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in [error["field"] for error in json.loads(response.content)["errors"]]
    assert (Device.objects.count(), Measurement.objects.count()) == before


def test_a_page_costs_the_same_few_queries_whatever_its_size(devices_reader, make_device, client):
    device, credential = make_device("bin-0001")
    for number in range(2, 30):
        make_device(f"bin-{number:04d}")
    start = clock.now().replace(microsecond=0) - timedelta(hours=1)
    records = [{"n": "fill", "u": "%", "v": minute, "t": minute * 60} for minute in range(30)]
    records[0]["bt"] = start.timestamp()
    with clock.travel(start + timedelta(minutes=30)):
        send(client, device, credential, records)
    devices_reader.get("/devices/bin-0001")  # a key's first call of the minute also notes its use
    # The key, its per-minute counter, then the page (and, for readings, the device first).
    with CaptureQueriesContext(connection) as listing:
        assert len(body(devices_reader.get("/devices", {"limit": 25}))["items"]) == 25
    with CaptureQueriesContext(connection) as readings:
        assert len(body(devices_reader.get("/devices/bin-0001/readings", {"limit": 25}))["items"]) == 25
    assert (len(listing), len(readings)) == (3, 4), [query["sql"][:120] for query in listing.captured_queries]


def test_on_sqlite_a_readings_page_is_read_from_the_device_s_own_rows_in_time_order(
    devices_reader, make_device, client
):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by its statistics, which a test's few rows do not resemble; see bench/")
    device, credential = make_device("bin-0001")
    start = clock.now().replace(microsecond=0) - timedelta(hours=1)
    records = [{"n": "fill", "u": "%", "v": minute, "t": minute * 60} for minute in range(5)]
    records[0]["bt"] = start.timestamp()
    with clock.travel(start + timedelta(minutes=30)):
        send(client, device, credential, records)
    first = body(devices_reader.get("/devices/bin-0001/readings", {"limit": 2}))
    with CaptureQueriesContext(connection) as reading:
        devices_reader.get("/devices/bin-0001/readings", {"limit": 2, "cursor": first["next_cursor"]})
    sql = next(query["sql"] for query in reading.captured_queries if "devices_measurement" in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = [row[-1] for row in cursor.fetchall()]
    # Only this device's rows in the window, from the (device, at) index: a deep page costs what the first does
    # (bench/device_readings.py); the time index alone would read every device's readings of the window.
    assert "(device_id=? AND at>? AND at<?)" in plan[0], plan
    assert not any(step.startswith("SCAN") for step in plan), plan

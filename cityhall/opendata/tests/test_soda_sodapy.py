"""Socrata's own Python client, sodapy, unchanged, against the live test server."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from requests.adapters import HTTPAdapter
from sodapy import Socrata

from .soda_fixtures import REQUESTS


@pytest.fixture
def socrata(live_server) -> Iterator[Socrata]:  # type: ignore[no-untyped-def]
    # sodapy speaks https unless given an adapter for another scheme: the test server is plain http.
    client = Socrata(
        urlsplit(live_server.url).netloc, None, session_adapter={"prefix": "http://", "adapter": HTTPAdapter()}
    )
    yield client
    client.close()


@pytest.mark.django_db(transaction=True)
def test_sodapy_reads_rows_csv_and_searches(socrata, city) -> None:
    letters = {number: letter for letter, number in city.items()}

    rows = socrata.get(
        REQUESTS,
        select="service_request_id, status, requested_datetime, location",
        where="status = 'closed' AND requested_datetime >= '2026-01-15'",
        order="requested_datetime DESC",
        limit=2,
    )
    assert [letters[row["service_request_id"]] for row in rows] == ["e", "d"]
    assert rows[1]["requested_datetime"] == "2026-01-31T23:30:00.000"
    assert rows[1]["location"]["type"] == "Point"

    counted = socrata.get(REQUESTS, select="service_code, count(*) AS n", group="service_code", order="n DESC")
    assert counted[0] == {"service_code": "potholes", "n": "3"}

    table = socrata.get(REQUESTS, content_type="csv", select="service_request_id, status", where="status = 'open'")
    assert table[0] == ["service_request_id", "status"]
    assert sorted(letters[number] for number, _status in table[1:]) == ["a", "c", "f"]

    found = socrata.get(REQUESTS, q="pothole", select="service_request_id")
    assert sorted(letters[row["service_request_id"]] for row in found) == ["a", "b", "e"]

    paged = list(socrata.get_all(REQUESTS, select="service_request_id", order="service_request_id", limit=4))
    assert sorted(row["service_request_id"] for row in paged) == sorted(city.values())

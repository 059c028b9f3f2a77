"""`/data/<id>/download.<fmt>?<SODA query>`: any query's whole answer as a streamed file, read back."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pyarrow.parquet as pq
import pytest

from cityhall.opendata.models import PublicRequest

from .soda_fixtures import REQUESTS

pytestmark = pytest.mark.django_db

DOWNLOAD = f"/data/{REQUESTS}/download"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_body(response).decode())))


def test_a_filtered_file_is_the_whole_files_matching_lines(client, city):
    whole = _body(client.get(f"{DOWNLOAD}.csv")).decode().splitlines()
    status = whole[0].split(",").index("status")

    response = client.get(f"{DOWNLOAD}.csv", {"$where": "status = 'closed'"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="service-requests-query.csv"'
    lines = _body(response).decode().splitlines()
    closed = [line for line in whole[1:] if next(csv.reader([line]))[status] == "closed"]
    assert lines == [whole[0], *closed]
    assert len(closed) == 3


def test_simple_filters_select_and_order_shape_the_file(client, city):
    response = client.get(
        f"{DOWNLOAD}.csv",
        {"service_code": "potholes", "$select": "service_request_id, neighborhood", "$order": "neighborhood DESC"},
    )

    assert _csv(response) == [
        {"service_request_id": city["a"], "neighborhood": "Pico"},
        {"service_request_id": city["b"], "neighborhood": "Pico"},
        {"service_request_id": city["e"], "neighborhood": "Downtown"},
    ]


def test_a_grouped_query_writes_its_aggregates_and_city_months_as_dates(client, city):
    response = client.get(
        f"{DOWNLOAD}.csv",
        {
            "$select": "date_trunc_ym(requested_datetime) AS month, count(*) AS requests",
            "$group": "month",
            "$order": "month",
        },
    )

    # Request d was made at 23:30 on January 31 in the city: a January request.
    assert _csv(response) == [
        {"month": "2026-01-01", "requests": "3"},
        {"month": "2026-02-01", "requests": "1"},
        {"month": "2026-03-01", "requests": "2"},
    ]


def test_geojson_and_parquet_hold_the_same_rows(client, city):
    query = {"$where": "neighborhood = 'Ocean Park'", "$select": "service_request_id, location, requested_datetime"}

    collection = json.loads(_body(client.get(f"{DOWNLOAD}.geojson", query)))
    table = pq.read_table(io.BytesIO(_body(client.get(f"{DOWNLOAD}.parquet", query)))).to_pylist()

    assert [feature["properties"]["service_request_id"] for feature in collection["features"]] == [
        city["d"],
        city["c"],
    ]
    assert {feature["geometry"]["type"] for feature in collection["features"]} == {"Point"}
    assert [row["service_request_id"] for row in table] == [city["d"], city["c"]]
    assert table[0]["requested_datetime"].isoformat() == "2026-02-01T07:30:00+00:00"
    assert table[0]["location"].startswith("POINT (")


def test_a_file_has_no_page_limit_but_keeps_a_limit_it_is_given(client, city):
    assert client.get(f"/resource/{REQUESTS}.json", {"$limit": "60000"}).status_code == 400
    assert len(_csv(client.get(f"{DOWNLOAD}.csv", {"$limit": "60000"}))) == 6
    assert len(_csv(client.get(f"{DOWNLOAD}.csv", {"$order": "service_request_id"}))) == 6
    assert len(_csv(client.get(f"{DOWNLOAD}.csv", {"$limit": "2", "$offset": "3"}))) == 2
    assert len(_csv(client.get(f"{DOWNLOAD}.csv", {"$offset": "4"}))) == 2


def test_the_page_limit_refusal_points_to_the_file(client, city):
    body = client.get(f"/resource/{REQUESTS}.json", {"$limit": "60000"}).json()
    assert "/data/<dataset-id>/download.csv" in body["message"]


def test_a_query_file_gzips_and_revalidates_by_its_own_query(client, city):
    closed = {"$where": "status = 'closed'"}
    first = client.get(f"{DOWNLOAD}.csv.gz", closed)
    assert len(list(csv.DictReader(io.StringIO(gzip.decompress(_body(first)).decode())))) == 3
    again = client.get(f"{DOWNLOAD}.csv.gz", closed, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    other = client.get(f"{DOWNLOAD}.csv.gz", {"$where": "status = 'open'"}, headers={"If-None-Match": first["ETag"]})
    assert other.status_code == 200
    assert client.get(f"{DOWNLOAD}.csv.gz")["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"$where": "status = "}, "query.soql.malformed"),
        ({"nonsense": "1"}, "query.soql.no-such-column"),
        ({"$select": "count(*)", "$order": "status"}, "query.soql.not-grouped"),
        ({"$offset": "99999999999"}, "query.soql.bad-offset"),
    ],
)
def test_a_refused_query_is_a_socrata_400_not_a_file(client, city, query, code):
    response = client.get(f"{DOWNLOAD}.csv", query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert (body["error"], body["code"]) == (True, code)


def test_a_slow_query_file_is_stopped_at_the_time_limit(client, settings, slow_query):
    params, published = slow_query
    settings.CITYHALL_SODA_TIMEOUT_MS = 1
    response = client.get(f"{DOWNLOAD}.csv", params)
    assert response.status_code == 503
    assert response.json()["code"] == "query.execution.timeout"
    settings.CITYHALL_SODA_TIMEOUT_MS = 60_000
    assert client.get(f"{DOWNLOAD}.csv", params).status_code == 200
    assert PublicRequest.objects.count() == published

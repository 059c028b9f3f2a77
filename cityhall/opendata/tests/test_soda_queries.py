"""Each SoQL feature over HTTP, on the six known requests (soda_fixtures.py), with hand-computed answers."""

from __future__ import annotations

import json

import pytest

from .soda_fixtures import REQUESTS

pytestmark = pytest.mark.django_db


def rows(client, **params):  # type: ignore[no-untyped-def]
    response = client.get(f"/resource/{REQUESTS}.json", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def numbers(client, city, **params) -> list[str]:  # type: ignore[no-untyped-def]
    letters = {number: letter for letter, number in city.items()}
    return [letters[row["service_request_id"]] for row in rows(client, **params)]


def test_a_column_filter_and_the_default_order(client, city) -> None:
    assert numbers(client, city, status="closed", **{"$order": "requested_datetime"}) == ["b", "d", "e"]


def test_rows_have_socrata_shapes_and_headers(client, city) -> None:
    response = client.get(f"/resource/{REQUESTS}.json", {"service_request_id": city["a"]})
    (row,) = response.json()
    assert row["requested_datetime"] == "2026-01-10T10:00:00.000"  # the city's time, floating
    assert row["location"] == {"type": "Point", "coordinates": [-118.4917, 34.0115]}
    assert row["support_count"] == "0" and row["latitude"] == "34.0115"  # numbers as strings
    assert row["location_generalized"] is False
    assert "closed_datetime" not in row  # nulls are left out, as Socrata does
    fields = json.loads(response["X-SODA2-Fields"])
    types = json.loads(response["X-SODA2-Types"])
    assert dict(zip(fields, types, strict=True))["requested_datetime"] == "calendar_date"
    assert dict(zip(fields, types, strict=True))["location"] == "point"


def test_select_aliases_count_group_and_order(client, city) -> None:
    found = rows(
        client,
        **{"$select": "service_code AS code, count(*) AS n", "$group": "service_code", "$order": "n DESC, code"},
    )
    assert found == [
        {"code": "potholes", "n": "3"},
        {"code": "graffiti-public-property", "n": "2"},
        {"code": "loud-music", "n": "1"},
    ]


def test_months_are_the_city_months(client, city) -> None:
    found = rows(
        client,
        **{"$select": "date_trunc_ym(requested_datetime) AS month, count(*)", "$group": "month", "$order": "month"},
    )
    assert found == [
        {"month": "2026-01-01T00:00:00.000", "count": "3"},
        {"month": "2026-02-01T00:00:00.000", "count": "1"},
        {"month": "2026-03-01T00:00:00.000", "count": "2"},
    ]


def test_other_aggregates_and_having(client, city) -> None:
    found = rows(
        client,
        **{
            "$select": "neighborhood, count(*) AS n, min(requested_datetime) AS first, max(service_code) AS last_code",
            "$group": "neighborhood",
            "$having": "count(*) >= 2 AND neighborhood != 'Pico'",
            "$order": "neighborhood",
        },
    )
    assert found == [
        {"neighborhood": "Downtown", "n": "2", "first": "2026-03-01T10:00:00.000", "last_code": "potholes"},
        {
            "neighborhood": "Ocean Park",
            "n": "2",
            "first": "2026-01-31T23:30:00.000",
            "last_code": "graffiti-public-property",
        },
    ]
    (total,) = rows(client, **{"$select": "sum(support_count) AS s, avg(support_count) AS a"})
    assert total == {"s": "0", "a": "0"}


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("status = 'open' AND neighborhood = 'Pico'", ["a"]),
        ("status = 'open' OR neighborhood = 'Pico'", ["a", "b", "c", "f"]),
        ("NOT (status = 'open') AND (neighborhood = 'Pico' OR neighborhood = 'Downtown')", ["b", "e"]),
        ("requested_datetime < '2026-01-31T23:45'", ["a", "b", "d"]),
        ("requested_datetime >= '2026-02-01'", ["c", "e", "f"]),
        ("requested_datetime between '2026-01-15' and '2026-02-28T23:59:59'", ["b", "c", "d"]),
        ("requested_datetime not between '2026-01-15' and '2026-02-28'", ["a", "e", "f"]),
        ("service_code in ('loud-music', 'graffiti-public-property')", ["c", "d", "f"]),
        ("service_code not in ('loud-music', 'graffiti-public-property')", ["a", "b", "e"]),
        ("description like '%pothole%'", ["a", "b", "e"]),  # like ignores case
        ("description not like '%pothole%' AND description != ''", ["c", "d"]),
        ("closed_datetime IS NULL", ["a", "c", "f"]),
        ("closed_datetime IS NOT NULL", ["b", "d", "e"]),
        ("date_trunc_ym(requested_datetime) = '2026-01-01'", ["a", "b", "d"]),
        (
            "date_trunc_y(requested_datetime) = '2026-01-01' AND date_trunc_ymd(requested_datetime) = '2026-01-31'",
            ["d"],
        ),
        ("within_circle(location, 34.0115, -118.4917, 300)", ["a"]),
        ("within_circle(location, 34.0115, -118.4917, 2000)", ["a", "b"]),
        ("within_box(location, 34.035, -118.48, 34.025, -118.46)", ["c", "d", "e", "f"]),  # f: its cell's center
        ("upper(neighborhood) = 'PICO' AND starts_with(service_code, 'pot')", ["a", "b"]),
        ("support_count + 1 = 1 AND support_count * 2 < 1 AND support_count / 2 = 0", ["a", "b", "c", "d", "e", "f"]),
    ],
)
def test_where(client, city, where: str, expected: list[str]) -> None:
    assert sorted(numbers(client, city, **{"$where": where})) == expected


def test_order_by_several_keys_limit_and_offset(client, city) -> None:
    order = {"$order": "neighborhood DESC, requested_datetime ASC"}
    assert numbers(client, city, **order) == ["a", "b", "d", "c", "e", "f"]
    assert numbers(client, city, **order, **{"$limit": "2", "$offset": "2"}) == ["d", "c"]
    assert numbers(client, city, **order, **{"$offset": "6"}) == []


def test_full_text_search_ignores_case_and_skips_sensitive_text(client, city) -> None:
    assert numbers(client, city, **{"$q": "pothole", "$order": "requested_datetime"}) == ["a", "b", "e"]
    assert numbers(client, city, **{"$q": "50%"}) == ["d"]  # wildcards are searched for, not obeyed
    assert numbers(client, city, **{"$q": "Elm"}) == []  # a sensitive request's description is not published


def test_a_whole_query_and_an_app_token(client, city) -> None:
    query = "SELECT service_request_id WHERE status = 'closed' ORDER BY requested_datetime DESC LIMIT 2"
    assert numbers(client, city, **{"$query": query, "$$app_token": "anything"}) == ["e", "d"]


def test_csv_and_geojson(client, city) -> None:
    params = {"$select": "service_request_id, requested_datetime, location", "service_request_id": city["a"]}
    csv = client.get(f"/resource/{REQUESTS}.csv", params)
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines() == [
        "service_request_id,requested_datetime,location",
        f"{city['a']},2026-01-10T10:00:00.000,POINT (-118.4917 34.0115)",
    ]
    geojson = client.get(f"/resource/{REQUESTS}.geojson", params)
    assert geojson["Content-Type"].startswith("application/vnd.geo+json")
    (feature,) = geojson.json()["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-118.4917, 34.0115]}
    assert feature["properties"] == {"service_request_id": city["a"], "requested_datetime": "2026-01-10T10:00:00.000"}


def test_performance_days_compare_as_the_city_days(client, city) -> None:
    found = client.get(
        "/resource/r311-perf.json",
        {"$select": "date, sum(requests) AS n", "$where": "date = '2026-01-31'", "$group": "date"},
    ).json()
    assert found == [{"date": "2026-01-31T00:00:00.000", "n": "1"}]


def test_catalogue_checkbox_filter(client, city) -> None:
    found = client.get("/resource/r311-svcs.json", {"sensitive": "true", "$select": "service_code"}).json()
    assert {"service_code": "loud-music"} in found
    assert {"service_code": "potholes"} not in found


def test_expressions_of_literals_nulls_and_mixed_dates_run_on_both_databases(client, city) -> None:
    (row,) = rows(
        client,
        **{
            "$select": "'a' || 'b' AS ab, 1 + 2 AS three, null AS nothing, upper('x') AS x, 7 / 2 AS half",
            "$limit": "1",
        },
    )
    assert row == {"ab": "ab", "three": "3", "x": "X", "half": "3.5"}
    (totals,) = rows(
        client,
        **{"$select": "min(requested_datetime) AS first, count(location) AS located, max(support_count / 0) AS z"},
    )
    assert totals == {"first": "2026-01-10T10:00:00.000", "located": "6"}
    assert len(rows(client, **{"$where": "null = null OR 'a' = 'a'", "$order": "location_generalized DESC"})) == 6
    later = rows(client, **{"$where": "requested_datetime > date_trunc_ymd(requested_datetime)"})
    assert len(later) == 6  # none was made at midnight, city time


def test_neighborhood_boundaries_are_geojson(client) -> None:
    features = client.get("/resource/city-zone.geojson", {"$limit": "2"}).json()["features"]
    assert features and features[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert set(features[0]["properties"]) == {"zone_id", "name", "kind"}
    (row,) = client.get("/resource/city-zone.json", {"$limit": "1", "$select": "name, the_geom"}).json()
    assert row["the_geom"]["type"] in ("Polygon", "MultiPolygon")

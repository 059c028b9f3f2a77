"""Geofence, zones and nearby search on real Santa Monica geometry."""

from __future__ import annotations

import math
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityhall.geo.cells import cell_of, cells_covering, cells_reaching, distance_m, metres_per_degree
from cityhall.geo.lookup import jurisdiction_contains, zone_for_point
from cityhall.requests.selectors import nearby_requests
from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lat", "lng", "inside"),
    [
        (34.0115, -118.4917, True),  # Santa Monica City Hall
        (34.0094, -118.4973, True),  # the pier
        (34.0522, -118.2437, False),  # downtown Los Angeles
        (33.985, -118.4695, False),  # Venice Beach
        (float("nan"), -118.49, False),
        (91.0, -118.49, False),
    ],
)
def test_the_real_boundary(santa_monica, lat, lng, inside):
    assert jurisdiction_contains(santa_monica, lat, lng) is inside


def test_zone_of_a_point(santa_monica):
    assert zone_for_point(santa_monica, 34.0030, -118.4800).name == "Ocean Park"
    assert zone_for_point(santa_monica, 34.0400, -118.5000).name == "North of Montana"
    # Downtown belongs to no neighbourhood association.
    assert zone_for_point(santa_monica, 34.0160, -118.4960) is None


def test_zone_edits_in_the_admin_apply_without_a_restart(santa_monica):
    from cityhall.catalogue.models import Zone

    ocean_park = Zone.objects.get(jurisdiction=santa_monica, slug="ocean-park")
    assert zone_for_point(santa_monica, 34.0030, -118.4800) == ocean_park
    ocean_park.geometry = {
        "type": "Polygon",
        "coordinates": [[[-118.0, 33.0], [-118.0, 33.1], [-118.1, 33.1], [-118.0, 33.0]]],
    }
    ocean_park.save()
    assert zone_for_point(santa_monica, 34.0030, -118.4800) is None


def test_the_cell_ring_covers_every_point_within_the_radius():
    rng = random.Random(7)
    for _ in range(300):
        lat, lng = 34.0 + rng.random() * 0.05, -118.52 + rng.random() * 0.08
        radius = rng.choice([50, 250, 1000, 3000])
        ring = set(cells_covering(lat, lng, radius))
        for _ in range(20):
            other_lat = lat + rng.uniform(-1, 1) * radius / 111_000
            other_lng = lng + rng.uniform(-1, 1) * radius / 92_000
            if distance_m(lat, lng, other_lat, other_lng) <= radius:
                assert cell_of(other_lat, other_lng) in ring


def test_the_reaching_cells_hold_every_point_the_sql_circle_keeps():
    rng = random.Random(11)
    for _ in range(300):
        lat, lng = 34.0 + rng.random() * 0.05, -118.52 + rng.random() * 0.08
        radius = rng.choice([20, 100, 300, 500])
        reaching = set(cells_reaching(lat, lng, radius))
        assert reaching <= set(cells_covering(lat, lng, radius))
        north, east = metres_per_degree(lat)
        for _ in range(40):
            # Points near the rim, where a dropped cell would show: the list's circle is this plane's.
            angle, along = rng.uniform(0, 2 * math.pi), radius * rng.uniform(0.8, 1.0)
            other_lat, other_lng = lat + along * math.sin(angle) / north, lng + along * math.cos(angle) / east
            assert cell_of(other_lat, other_lng) in reaching


def test_nearby_finds_open_requests_of_the_same_service_nearest_first(service):
    potholes = service("potholes")
    near = submit(potholes, at=(34.01160, -118.49170))  # ~11 m away
    nearer = submit(potholes, at=(34.01151, -118.49171))
    submit(potholes, at=(34.02500, -118.49170))  # 1.5 km away
    submit(service("streetlights"), at=(34.01150, -118.49170), attributes={"PROBLEM": "OUT"})
    found = nearby_requests(service=potholes, lat=34.0115, lng=-118.4917, radius_m=250)
    assert [item.request for item in found] == [nearer, near]
    assert found[0].distance_m < found[1].distance_m < 250


def test_nearby_search_uses_the_cell_index_not_a_scan(service):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL plan on a tiny test table is a sequential scan by design; see bench/")
    potholes = service("potholes")
    submit(potholes, at=(34.0115, -118.4917))
    # The query the duplicate prompt runs, as it runs it (unordered: ordered by time, another index would do).
    with CaptureQueriesContext(connection) as queries:
        assert nearby_requests(service=potholes, lat=34.0115, lng=-118.4917, radius_m=250)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {queries.captured_queries[0]['sql']}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "USING INDEX request_service_cell (service_id=? AND cell=?)" in plan, plan

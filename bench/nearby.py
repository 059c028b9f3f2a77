"""Nearby search at realistic size: the H3 cell index against a bounding-box scan on lat/long.

    python -m bench.nearby [--requests 100000] [--queries 2000]

Uses the configured database (DATABASE_URL, or SQLite in CITYHALL_DATA_DIR). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--radius", type=float, default=250)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from cityhall.catalogue.models import Service
    from cityhall.geo.cells import distance_m
    from cityhall.requests.models import ServiceRequest
    from cityhall.requests.selectors import nearby_requests

    from .seed import prepared_city

    jurisdiction = prepared_city(args.requests)
    total = ServiceRequest.objects.filter(lat__isnull=False).count()
    graffiti = Service.objects.get(jurisdiction=jurisdiction, code="graffiti-public-property")
    rng = random.Random(5)
    points = [(34.005 + rng.random() * 0.035, -118.50 + rng.random() * 0.045) for _ in range(args.queries)]

    def timed(search) -> list[float]:  # type: ignore[no-untyped-def]
        laps = []
        for lat, lng in points:
            began = time.perf_counter()
            search(lat, lng)
            laps.append((time.perf_counter() - began) * 1000)
        return laps

    def by_cells(lat: float, lng: float) -> list[object]:
        return nearby_requests(service=graffiti, lat=lat, lng=lng, radius_m=args.radius)  # type: ignore[return-value]

    def by_bbox(lat: float, lng: float) -> list[object]:
        dlat, dlng = args.radius / 111_000, args.radius / 92_000
        rows = ServiceRequest.objects.filter(
            service=graffiti, lat__range=(lat - dlat, lat + dlat), lng__range=(lng - dlng, lng + dlng)
        ).values_list("lat", "lng")
        # lat/lng are nullable columns; the range filter above has already left the empty ones out.
        return [
            row
            for row in rows
            if row[0] is not None and row[1] is not None and distance_m(lat, lng, row[0], row[1]) <= args.radius
        ]

    with CaptureQueriesContext(connection) as queries:
        by_cells(*points[0])
    plan_sql = next(q["sql"] for q in queries.captured_queries if '."cell" IN' in q["sql"])
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + plan_sql)
        plan = "\n    ".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
    reset_queries()
    cells, bbox = timed(by_cells), timed(by_bbox)

    def row(name: str, laps: list[float]) -> str:
        laps = sorted(laps)
        p99 = laps[int(len(laps) * 0.99) - 1]
        return f"| {name} | {statistics.median(laps):.2f} | {p99:.2f} | {1000 / statistics.mean(laps):.0f} |"

    print(
        f"\nNearby search, {connection.vendor}, {total:,} located requests, "
        f"radius {args.radius:.0f} m, {args.queries} queries"
    )
    print("| method | p50 ms | p99 ms | queries/s (1 thread) |\n|---|---|---|---|")
    print(row("H3 cells (service, cell) index", cells))
    print(row("lat/long bounding box, no spatial index", bbox))
    print(f"ratio (bbox p50 / cells p50): {statistics.median(bbox) / statistics.median(cells):.1f}x")
    print(f"query plan of the cell search:\n    {plan}")


if __name__ == "__main__":
    main()

"""SODA query latency: p50/p99 of five typical queries through the API's view, on the configured database.

    python -m bench.soda [--requests 1000000] [--repeat 50]

Without --requests it measures the data already there (the demo: `CITYHALL_DATA_DIR=… cityhall prepare
--demo` first). With --requests it first fills the public projection up to that many rows with
synthetic public requests, written straight into the table (COPY on PostgreSQL) with foreign-key
checks off: for a throwaway benchmark database only (e.g. under tools/with-postgres). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

SYNTHETIC_KEYS = 2_000_000_000  # request keys above every real one
PHRASES = ["Pothole in the lane", "Graffiti on the wall", "Broken streetlight", "Overflowing bin", "Dumped mattress"]
STREETS = ["Main Street", "Ocean Avenue", "Pico Boulevard", "Lincoln Boulevard", "Wilshire Boulevard"]
WORDS = ["pothole", "graffiti", "streetlight", "mattress", "Ocean"]


def synthetic_rows(start: int, count: int, services: list[Any], neighborhoods: list[str]) -> Any:
    rng = random.Random(start)
    origin = datetime(2025, 1, 1, tzinfo=UTC)
    for index in range(start, start + count):
        service = rng.choice(services)
        requested = origin + timedelta(seconds=rng.uniform(0, 2 * 365 * 86400))
        closed = requested + timedelta(hours=rng.uniform(1, 300)) if rng.random() < 0.7 else None
        text = f"{rng.choice(PHRASES)} near {rng.randint(100, 3000)} {rng.choice(STREETS)}"
        yield (
            SYNTHETIC_KEYS + index, f"S{index:09d}", service.code, service.name_en, service.name_es or "", "", "",
            "closed" if closed else "open", "closed" if closed else "submitted", "fixed" if closed else "", "",
            requested, closed or requested, None, closed, text.split(" near ")[1], rng.choice(neighborhoods),
            34.005 + rng.random() * 0.04, -118.51 + rng.random() * 0.06, False, text, "web", rng.randint(0, 5),
            requested.date(), (closed - requested).total_seconds() / 3600 if closed else None,
            rng.random() < 0.8 if closed else None,
        )  # fmt: skip


COLUMNS = (
    "request_id, service_request_id, service_code, service_name, service_name_es, category_group, department, "
    "status, status_detail, resolution, status_notes, requested_datetime, updated_datetime, expected_datetime, "
    "closed_datetime, address, neighborhood, latitude, longitude, location_generalized, description, channel, "
    "support_count, requested_date, hours_to_close, sla_met"
)


def fill(target: int) -> None:
    from django.db import connection

    from cityhall.catalogue.models import Service, Zone
    from cityhall.opendata.models import PublicRequest

    have = PublicRequest.objects.filter(request_id__gte=SYNTHETIC_KEYS).count()
    total = PublicRequest.objects.count()
    if total >= target:
        return
    services = list(Service.objects.filter(is_private=False))
    neighborhoods = list(Zone.objects.values_list("name", flat=True)) or ["Downtown"]
    rows = synthetic_rows(have, target - total, services, neighborhoods)
    table = PublicRequest._meta.db_table
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # no FK checks: throwaway data
            with cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute("SET session_replication_role = DEFAULT")
            # As autovacuum would soon after a load: statistics, and the visibility map that lets
            # counts be answered from an index alone.
            cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            marks = ", ".join(["%s"] * len(COLUMNS.split(",")))
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 10_000:
                    cursor.executemany(f"INSERT INTO {table} ({COLUMNS}) VALUES ({marks})", batch)
                    batch.clear()
            cursor.executemany(f"INSERT INTO {table} ({COLUMNS}) VALUES ({marks})", batch)
            cursor.execute("ANALYZE")
    print(f"filled the projection to {target:,} rows in {time.perf_counter() - started:.1f} s")


def shapes(rng: random.Random, months: list[datetime]) -> dict[str, Callable[[], dict[str, str]]]:
    def month() -> dict[str, str]:
        return {"status": "closed", "$where": f"date_trunc_ym(requested_datetime) = '{rng.choice(months):%Y-%m-%d}'"}

    def month_range() -> dict[str, str]:
        start = rng.choice(months)
        end = (start + timedelta(days=32)).replace(day=1)
        return {
            "status": "closed",
            "$where": f"requested_datetime >= '{start:%Y-%m-%d}' AND requested_datetime < '{end:%Y-%m-%d}'",
        }

    def circle() -> dict[str, str]:
        lat, lng = 34.005 + rng.random() * 0.04, -118.51 + rng.random() * 0.06
        return {"$where": f"within_circle(location, {lat:.5f}, {lng:.5f}, 250)"}

    return {
        "status and month (date range)": month_range,
        "status and month (date_trunc_ym)": month,
        "count by service": lambda: {"$select": "service_code, count(*) AS n", "$group": "service_code"},
        "within_circle 250 m": circle,
        "full text $q": lambda: {"$q": rng.choice(WORDS)},
        "group by neighborhood": lambda: {"$select": "neighborhood, count(*) AS n", "$group": "neighborhood"},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=0, help="fill the projection to this many rows first")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Max, Min
    from django.test import RequestFactory

    from cityhall.opendata.models import PublicRequest
    from cityhall.opendata.soda.views import resource

    from .seed import prepared_city

    prepared_city(0)  # migrated, with the catalogue
    if args.requests:
        fill(args.requests)
    settings.CITYHALL_SODA_TIMEOUT_MS = 600_000  # measure, do not stop
    factory = RequestFactory()
    rng = random.Random(15)
    rows = PublicRequest.objects.count()
    print(f"SODA on {connection.vendor}, {rows:,} public requests, {args.repeat} runs per query (ms)")
    print(f"{'query':36} {'p50':>8} {'p99':>8} {'rows (mean)':>11}")
    span = PublicRequest.objects.aggregate(first=Min("requested_datetime"), last=Max("requested_datetime"))
    months, day = [], span["first"].replace(day=1, hour=12)
    while day <= span["last"]:  # the months the data covers (the demo's are its last year)
        months.append(day.replace(tzinfo=None, hour=0))
        day = (day + timedelta(days=32)).replace(day=1)
    for name, make in shapes(rng, months).items():
        laps, answered = [], 0
        for _ in range(args.repeat):
            request = factory.get("/resource/r311-sreq.json", make())
            began = time.perf_counter()
            response = resource(request, "r311-sreq", "json")
            laps.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.content[:300]
            answered += len(orjson.loads(response.content))
        cuts = statistics.quantiles(laps, n=100, method="inclusive")
        print(f"{name:36} {cuts[49]:8.1f} {cuts[98]:8.1f} {answered // args.repeat:11}")


if __name__ == "__main__":
    main()

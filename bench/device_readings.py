"""Device readings at a city's size: the staff chart, the partners' readings pages, the retention sweep.

    python -m bench.device_readings [--devices 300] [--days 30] [--every 300]
    ./tools/with-postgres .venv/bin/python -m bench.device_readings --devices 1000

Seeds `devices × days × 86400 / every` measurements (default 300 devices reading every 5 minutes for
the 30 days the default retention keeps: 2.6 million rows) in one set-based INSERT on the server,
then measures, single connection, p50/p99 over `--laps` calls, each call on another device:

- the chart on a device's request in the staff workspace (`devices.selectors.readings_for_request`);
- the JSON API's `GET /api/v1/devices/{id}/readings`: the first page of the last day, the first page
  of a 31-day window, and the tenth page of that window by cursor, 200 readings a page;
- one SenML reading POSTed over HTTP into the full table;
- the retention sweep deleting the oldest day (`measurements_sweep`), in rows per second.

Without DATABASE_URL it runs on a throwaway SQLite file, never the demo's. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path


def _figures(name: str, laps: list[float]) -> None:
    ordered = sorted(laps)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(f"  {name:<52} p50 {statistics.median(ordered):7.2f} ms   p99 {p99:7.2f} ms")


def _timed(call: Callable[[int], object], laps: int) -> list[float]:
    taken = []
    for lap in range(laps):
        started = time.perf_counter()
        call(lap)
        taken.append(1000 * (time.perf_counter() - started))
    return taken


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=300)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--every", type=int, default=300, help="seconds between a device's readings")
    parser.add_argument("--laps", type=int, default=200)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp(prefix='readings-bench-')) / 'db.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CITYHALL_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    import orjson
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from cityhall.catalogue.models import Department, Service
    from cityhall.core import clock
    from cityhall.devices.models import Device, Measurement
    from cityhall.devices.selectors import readings_for_request
    from cityhall.devices.services import measurements_sweep
    from cityhall.partners.models import ApiKey
    from cityhall.requests.models import Channel, ServiceRequest

    from .seed import prepared_city

    settings.ALLOWED_HOSTS = ["*"]
    jurisdiction = prepared_city(0)
    works = Department.objects.get(jurisdiction=jurisdiction, slug="public-works")
    service = Service.objects.get(jurisdiction=jurisdiction, code="other-refuse-and-recycling")
    Device.objects.filter(device_id__startswith="bench-r-").delete()
    credentials = {}
    for n in range(args.devices):
        device = Device(device_id=f"bench-r-{n}", kind="litter_bin", lat=34.0094, lng=-118.4973, department=works,
                        service=service, rate_limit_per_minute=100_000)  # fmt: skip
        credentials[device.device_id] = device.issue_credential()
        device.save()
    per_device = args.days * 86400 // args.every
    now = clock.now().replace(microsecond=0)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO devices_measurement (device_id, name, at, value)"
                " SELECT d.id, 'fill', %s - s * %s * interval '1 second', (s * 7 + d.id) %% 100"
                " FROM devices_device d, generate_series(1, %s) s WHERE d.device_id LIKE 'bench-r-%%'",
                [now, args.every, per_device],
            )
            cursor.execute("ANALYZE devices_measurement")
        else:
            # Django keeps SQLite datetimes as 'YYYY-MM-DD HH:MM:SS' text in UTC.
            cursor.execute(
                "INSERT INTO devices_measurement (device_id, name, at, value)"
                " WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s)"
                " SELECT d.id, 'fill', datetime(%s, '-' || (i * %s) || ' seconds'), (i * 7 + d.id) %% 100"
                " FROM devices_device d, s WHERE d.device_id LIKE 'bench-r-%%'",
                [per_device, now.strftime("%Y-%m-%d %H:%M:%S"), args.every],
            )
            cursor.execute("ANALYZE")
    total = Measurement.objects.count()
    print(f"{connection.vendor}: seeded {args.devices * per_device:,} readings ({total:,} in the table) "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    Device.objects.filter(device_id__startswith="bench-r-").update(last_reading_at=now, last_seen_at=now)

    def chart(lap: int) -> None:
        shown = ServiceRequest(channel=Channel.DEVICE, device_id=f"bench-r-{lap % args.devices}", updated_at=now)
        assert readings_for_request(shown) is not None

    ApiKey.objects.filter(name="bench-readings").delete()
    key = ApiKey(name="bench-readings", scopes=["devices"], rate_limit_per_minute=10_000_000)
    bearer = {"Authorization": f"Bearer {key.issue()}"}
    key.save()
    client = Client()
    window_start = (now - timedelta(days=min(31, args.days))).strftime("%Y-%m-%dT%H:%M:%SZ")
    until = (now + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def readings(device: str, query: str) -> dict[str, object]:
        answer = client.get(f"/api/v1/devices/{device}/readings?limit=200&{query}", headers=bearer)
        assert answer.status_code == 200, answer.content
        body: dict[str, object] = orjson.loads(answer.content)
        return body

    tenth_page: dict[str, object] = {}  # device id -> the cursor of its window's tenth page
    for n in range(min(args.devices, args.laps)):
        name = f"bench-r-{n}"
        after: object = None
        for _page in range(9):
            page = readings(name, f"since={window_start}&until={until}" + (f"&cursor={after}" if after else ""))
            after = page["next_cursor"]
        tenth_page[name] = after

    def post(lap: int) -> None:
        device = f"bench-r-{lap % args.devices}"
        pack = [{"bn": f"{device}:", "n": "fill", "u": "%", "v": lap % 70, "t": time.time() + lap}]
        answer = client.post("/devices/v1/senml", orjson.dumps(pack), content_type="application/senml+json",
                             headers={"Authorization": f"Bearer {credentials[device]}"})  # fmt: skip
        assert answer.status_code == 202, answer.content

    def deep(lap: int) -> None:
        name = f"bench-r-{lap % len(tenth_page)}"
        readings(name, f"since={window_start}&until={until}&cursor={tenth_page[name]}")

    laps = args.laps
    _figures("staff chart on a device's request", _timed(chart, laps))
    _figures(
        "API readings, last day, first page", _timed(lambda lap: readings(f"bench-r-{lap % args.devices}", ""), laps)
    )
    window = f"since={window_start}&until={until}"
    _figures(f"API readings, {min(31, args.days)} days, first page",
             _timed(lambda lap: readings(f"bench-r-{lap % args.devices}", window), laps))  # fmt: skip
    _figures(f"API readings, {min(31, args.days)} days, tenth page by cursor", _timed(deep, laps))
    _figures("SenML reading POSTed over HTTP", _timed(post, laps))
    settings.CITYHALL_DEVICE_RETENTION_DAYS = args.days - 1
    started = time.perf_counter()
    removed = measurements_sweep()
    took = time.perf_counter() - started
    print(f"  retention sweep of the oldest day: {removed:,} rows in {took:.1f} s, {removed / took:,.0f} rows/s")


if __name__ == "__main__":
    main()

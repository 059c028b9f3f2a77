"""Server time of the staff dashboards and the public scorecard, and the cost of keeping rollups current.

    python -m bench.dashboards [--requests 0] [--laps 20]               # the configured database (the demo)
    ./tools/with-postgres .venv/bin/python -m bench.dashboards --requests 1000000

With --requests N, seeds the database up to N requests first (bench/seed.py) and rebuilds the
rollups, printing how long the rebuild took. Then renders each page through Django's full
middleware chain, in process, over a mix of filters (p50/p99 per page over all laps), and times
`refresh()` of one request after a real change (the work the commit listener does per event).
Prints figures only. Beside each page's time, the median of this process's CPU time (Python:
the views, rendering, the database driver) and of the time spent waiting on the database: on a
shared machine the wall time also counts waiting for a CPU, which neither shows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date, timedelta
from typing import Any


def _middle_day(facts: Any) -> date | None:
    """The median day requests were received on (None: no requests)."""
    count = facts.objects.count()
    if not count:
        return None
    return facts.objects.order_by("received_day").values_list("received_day", flat=True)[count // 2]  # type: ignore[no-any-return]


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class _SqlTimer:
    """A database execute wrapper adding up the wall time spent in the database's calls."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=0)
    parser.add_argument("--laps", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.db import connection
    from django.test import Client

    from cityhall.accounts.models import Role
    from cityhall.catalogue.models import Department, Jurisdiction, Service, Zone
    from cityhall.core import clock
    from cityhall.dashboards.models import RequestFact, Rollup
    from cityhall.dashboards.services import rebuild, refresh
    from cityhall.requests.models import ServiceRequest

    from .seed import bench_person

    if args.requests:
        from .seed import prepared_city

        prepared_city(args.requests)
    if args.requests or not Rollup.objects.exists():
        began = time.perf_counter()
        counted = rebuild()
        print(f"rebuild: {counted} requests in {time.perf_counter() - began:.1f} s")
    if connection.vendor == "postgresql":
        # A real database is vacuumed by autovacuum, which sets the visibility map that lets the
        # covering indexes answer alone; after a bulk load it has not run yet, so without this the
        # index-only scans would visit the table for every row and the figures would be a fresh
        # load's, not a city's.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    jurisdiction = Jurisdiction.objects.get(jurisdiction_id="smgov.net")
    works = Department.objects.get(jurisdiction=jurisdiction, slug="public-works")

    admin = bench_person("bench-admin@example.org", Role.ADMIN, None)
    supervisor = bench_person("bench-supervisor@example.org", Role.SUPERVISOR, works)
    busiest = Service.objects.filter(jurisdiction=jurisdiction, code__startswith="graffiti").first()
    zone = Zone.objects.filter(jurisdiction=jurisdiction).first()
    print(f"{connection.vendor}: {ServiceRequest.objects.count()} requests, {Rollup.objects.count()} rollup rows")
    mix = [
        "",
        "?grain=day",
        "?grain=month&from={year_ago}",
        f"?service={busiest.code}" if busiest else "",
        f"?zone={zone.slug}" if zone else "",
        "?channel=phone",
    ]
    # The heaviest period a page may ask for: five years (the longest allowed) around the middle of
    # the history. The demo's history ends years ago, so "the last year" alone would measure little.
    middle = _middle_day(RequestFact)
    if middle is not None:
        end = min(middle + timedelta(days=913), clock.now().date())
        start = max(end - timedelta(days=1826), date(2000, 1, 1))
        five_years = f"?grain=month&from={start.isoformat()}&to={end.isoformat()}"
        mix += [five_years, five_years + "&map=received"]
    year_ago = clock.now().date().replace(day=1).replace(year=clock.now().year - 1).isoformat()
    pages = [
        ("staff dashboards (admin, city-wide)", admin, "/staff/dashboards/", mix),
        ("staff dashboards (supervisor, one department)", supervisor, "/staff/dashboards/", mix),
        ("staff dashboards CSV (admin)", admin, "/staff/dashboards/close-time.csv", mix),
        ("hexagon map CSV (admin)", admin, "/staff/dashboards/hexagon-map.csv", mix),
        ("public scorecard", None, "/performance", [""]),
    ]
    for label, user, url, filters in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        laps: list[float] = []
        cpu: list[float] = []  # this process's CPU time per page (Python: views, rendering, the driver)
        sql: list[float] = []  # wall time inside the database calls per page
        slowest = (0.0, "")  # the filter with the highest median: slow code, where a p99 may be noise
        for query in filters:
            full = url + query.format(year_ago=year_ago)
            response = client.get(full)  # warm
            assert response.status_code == 200, (full, response.status_code)
            these = []
            for _ in range(args.laps):
                timer = _SqlTimer()
                began, began_cpu = time.perf_counter(), time.process_time()
                with connection.execute_wrapper(timer):
                    client.get(full)
                these.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
                sql.append(timer.seconds * 1000)
            laps += these
            slowest = max(slowest, (statistics.median(these), query.format(year_ago=year_ago) or "(none)"))
        print(
            f"{label}: p50 {statistics.median(laps):.0f} ms, p99 {_quantile(laps, 0.99):.0f} ms "
            f"over {len(filters)} filters × {args.laps} laps; slowest filter {slowest[1]} p50 {slowest[0]:.0f} ms; "
            f"of which p50 Python CPU {statistics.median(cpu):.0f} ms, in the database {statistics.median(sql):.0f} ms"
        )

    # The commit listener's work per event: refresh one request's facts and its cells.
    ids = list(ServiceRequest.objects.order_by("-id").values_list("id", flat=True)[: args.laps * 5])
    costs = []
    for request_id in ids:
        began = time.perf_counter()
        refresh([request_id])
        costs.append((time.perf_counter() - began) * 1000)
    print(
        f"refresh per event (one request): p50 {statistics.median(costs):.1f} ms, p99 {_quantile(costs, 0.99):.1f} ms"
    )


if __name__ == "__main__":
    main()

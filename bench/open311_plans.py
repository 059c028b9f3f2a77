"""The query plan of each Open311 read, on the database `make run` serves (or DATABASE_URL's).

    .venv/bin/python -m bench.open311_plans [page sizes, default 1 100]

Asks each read through Django's test client (DEBUG off, the real URLs and views), captures the SQL
it ran on the requests tables and prints SQLite's EXPLAIN QUERY PLAN (PostgreSQL's EXPLAIN) and
the time of each query run again alone (median of 5), once per page size: a plan that sorts every
row, or a time that grows with the page size, shows here before it shows in bench.open311_load.
Reads only; prints, asserts nothing.
"""

from __future__ import annotations

import os
import sys
import time
from statistics import median
from typing import Any


def reads(request_id: str) -> list[tuple[str, str]]:
    """(name, path) of each Open311 read the bench loads, page size left to add."""
    return [
        ("list, no filter", "requests.json?"),
        ("list, status + service", "requests.json?status=open&service_code=graffiti-public-property&"),
        ("list, bounding box", "requests.json?bbox=-118.50,34.01,-118.48,34.02&"),
        ("list, 300 m radius", "requests.json?lat=34.0115&long=-118.4917&radius=300&"),
        ("request by id", f"requests/{request_id}.json?extensions=true&"),
        ("updates, last 90 days", "servicerequestupdates.json?start_date=-90&"),
    ]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from cityhall.core import clock
    from cityhall.requests.models import ServiceRequest

    sizes = [int(size) for size in sys.argv[1:]] or [1, 100]
    newest = ServiceRequest.objects.order_by("-requested_at").values_list("public_id", flat=True).first()
    since = (clock.now() - timedelta(days=89)).isoformat(timespec="seconds").replace("+", "%2B")
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    client = Client()
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for name, path in reads(str(newest)):
            path = path.replace("start_date=-90", f"start_date={since}")
            for size in sizes:
                url = f"/open311/v2/{path}page_size={size}"
                client.get(url)  # warm the per-process caches (jurisdiction, catalogue labels)
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    status = client.get(url).status_code
                    took = (time.perf_counter() - started) * 1000
                print(f"\n## {name}, page_size={size}: HTTP {status}, {len(queries)} queries, {took:.1f} ms")
                for query in queries.captured_queries:
                    if "requests_" not in query["sql"]:
                        continue
                    print(f"{_median_ms(connection, query['sql']):.2f} ms  {query['sql'][:90]}…")
                    with connection.cursor() as cursor:
                        cursor.execute(explain + query["sql"])
                        for row in cursor.fetchall():
                            print("    ", row[-1])


def _median_ms(connection: Any, sql: str, runs: int = 5) -> float:
    """The query alone, run again as captured (its values written in): the median of a few runs."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return median(times)


if __name__ == "__main__":
    main()

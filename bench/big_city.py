"""The city's hot reads at 100,000, 1,000,000 and 10,000,000 requests, on one PostgreSQL, in one run.

    ./tools/with-postgres .venv/bin/python -m bench.big_city --sizes 100000,1000000,10000000

For each size, grows the database to it (bench/seed_copy.py: COPY, 15 years of history with its
events), then times each read over many laps on one connection, in process, through the real code
path: Django's test client with DEBUG off (the URLs, middleware, views, selectors and templates a
server runs; no network, no gunicorn). The reads are those the other benches load: the Open311 list
(bench/open311_plans.py: no filter, status + service, bounding box, radius), a request by id (a
different, random one each lap), the updates since a poller last asked (the newest 200 public
events), the staff department queue and the triage queue (bench/staff_queues.py) and the nearby
duplicates a resident is shown at intake (the report form's place check; a different point each lap,
as bench/nearby.py draws them).

Prints p50 and p99 per read and size, of the whole answer and of the time spent in SQL (a connection
execute wrapper: the part the table's size can change, less disturbed by the shared machine's load on
the Python process), the ratio of the largest size's p99 to the smallest's, and the load average
(compare within a run). `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of each statement of 2 ms or
more of a read over 20 ms p99, or whose SQL p99 grew past 1.5x the smallest size's. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from statistics import median
from typing import Any

from .scratch import percentile

TARGET_P99_MS = 20.0
TARGET_RATIO = 1.5
SERVER_EVERY = 3  # laps whose reads are run again under EXPLAIN ANALYZE
EXPLAINED_FROM_S = 0.002  # statements quicker than this are not explained


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--laps", type=int, default=240)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", default="", help="time only the reads whose name contains this")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import override_settings

    from .seed_copy import grow

    assert connection.vendor == "postgresql", "run it under ./tools/with-postgres"
    sizes = [int(size) for size in args.sizes.split(",")]
    figures: dict[int, Figures] = {}
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for size in sizes:
            began = time.perf_counter()
            grow(size)
            print(f"\n# {size:,} requests (grown in {time.perf_counter() - began:.0f} s)", flush=True)
            figures[size] = measure(args, baseline=figures.get(sizes[0]))
            # After each size, so a run stopped before the largest still leaves its table.
            print_table([done for done in sizes if done in figures], figures)


class SqlClock:
    """A connection's execute wrapper that adds up the time spent in the database (sending, running
    and receiving each statement): the part of a read that the table's size can change, and that
    the shared machine's load on the Python process disturbs less."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.selects: list[tuple[str, Any]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.spent += time.perf_counter() - started
            if not many and sql.lstrip().upper().startswith("SELECT"):
                self.selects.append((sql, params))


def server_ms(connection: Any, statements: list[tuple[str, Any]]) -> float:
    """What PostgreSQL itself spent planning and running these reads again (EXPLAIN ANALYZE): the
    time inside the server, which neither the round trips nor the machine's run queue inflate much."""
    spent = 0.0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0][0]
            spent += plan["Planning Time"] + plan["Execution Time"]
    return spent


Figures = dict[str, tuple[float, ...]]  # read → p50, p99, SQL p50, SQL p99, server p50, server p99 (ms)


def measure(args: argparse.Namespace, baseline: Figures | None) -> Figures:
    """Each read's figures at the database's present size."""
    from django.db import connection

    results: Figures = {}
    print(f"load average {' '.join(f'{load:.1f}' for load in os.getloadavg())}", flush=True)
    for name, ask in reads():
        if args.only not in name:
            continue
        ask(0)  # warm: the per-process caches, the first connection
        laps, sql, server = [], [], []
        for lap in range(args.laps):
            clock = SqlClock()
            with connection.execute_wrapper(clock):
                started = time.perf_counter()
                ask(lap)
                laps.append((time.perf_counter() - started) * 1000)
            sql.append(clock.spent * 1000)
            if lap % SERVER_EVERY == 0:
                server.append(server_ms(connection, clock.selects))
        figures = (
            *(median(laps), percentile(laps, 0.99)),
            *(median(sql), percentile(sql, 0.99)),
            *(median(server), percentile(server, 0.99)),
        )
        results[name] = figures
        print(
            f"  {name:40} p50 {figures[0]:6.1f} ms  p99 {figures[1]:6.1f} ms  "
            f"(SQL {figures[2]:5.1f} / {figures[3]:5.1f} ms, in server {figures[4]:5.2f} / {figures[5]:5.2f} ms)",
            flush=True,
        )
        over = figures[1] > TARGET_P99_MS or figures[5] > TARGET_P99_MS
        grew = baseline is not None and name in baseline and figures[5] > TARGET_RATIO * max(baseline[name][5], 0.5)
        if args.explain and (over or grew):
            explain(connection, ask)
    return results


def reads() -> list[tuple[str, Callable[[int], Any]]]:
    """(name, ask) of each read; ask(lap) makes one request and checks it was answered."""
    from django.test import Client

    from cityhall.catalogue.models import Department, Service
    from cityhall.requests.models import RequestEvent, ServiceRequest

    from .open311_plans import reads as open311_reads
    from .staff_queues import signed_in_pages

    anonymous = Client()

    def get(client: Client, url: str) -> Callable[[int], Any]:
        def ask(_lap: int) -> Any:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return ask

    found: list[tuple[str, Callable[[int], Any]]] = []
    for name, path in open311_reads(""):
        if name.startswith("list"):
            found.append((f"Open311 {name}", get(anonymous, f"/open311/v2/{path}page_size=50")))
    # By id: a different request each lap, anywhere in the table (most are old and cold).
    rng = random.Random(3)
    top = ServiceRequest.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample = rng.sample(range(1, top + 1), min(top, 1000))
    # Of public categories: Open311 answers 404 for a request of a private one, as if it did not exist.
    public = ServiceRequest.objects.filter(id__in=sample, service__is_private=False)
    ids = list(public.values_list("public_id", flat=True))
    rng.shuffle(ids)

    def by_id(lap: int) -> Any:
        response = anonymous.get(f"/open311/v2/requests/{ids[lap % len(ids)]}.json?extensions=true")
        assert response.status_code == 200, response.status_code
        return response

    found.append(("Open311 request by id (random)", by_id))
    # Updates since: the window a poller asks after its last call, here from the 200th newest
    # public event to now (the same page at every size).
    newest = RequestEvent.objects.exclude(kind=RequestEvent.Kind.NOTE).order_by("-created_at")
    since = newest.values_list("created_at", flat=True)[199:200].first()
    start = since.isoformat(timespec="seconds").replace("+", "%2B") if since else ""
    found.append(
        (
            "Open311 updates since (200 newest)",
            get(anonymous, f"/open311/v2/servicerequestupdates.json?start_date={start}"),
        )
    )
    works = Department.objects.get(slug="public-works")
    for label, person, url in signed_in_pages(works):
        if label in ("triage queue (agent)", "department queue (staff)"):
            client = Client()
            client.force_login(person)
            found.append((f"staff {label}", get(client, url)))
    # Nearby duplicates at intake: the report form's place check for a point the resident chose
    # from the suggestions (`placed`: no reverse geocoding), in the busiest category.
    graffiti = Service.objects.get(code="graffiti-public-property")
    points = [(34.005 + rng.random() * 0.035, -118.50 + rng.random() * 0.045) for _ in range(1000)]

    def intake(lap: int) -> Any:
        lat, lng = points[lap % len(points)]
        url = f"/report/place?service={graffiti.code}&lat={lat:.6f}&lng={lng:.6f}&placed=Bench"
        response = anonymous.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    found.append(("nearby duplicates at intake", intake))
    return found


def explain(connection: Any, ask: Callable[[int], Any]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each query on the requests tables that one answer ran."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        ask(1)
    for query in queries.captured_queries:
        if "requests_" not in (query["sql"] or "") or float(query["time"]) < EXPLAINED_FROM_S:
            continue  # sql None: a statement bound on the server (bench.open311_plans shows those)
        print(f"    -- {query['time']} s: {query['sql'][:300]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            for row in cursor.fetchall():
                print("      ", row[0])


def print_table(sizes: list[int], figures: dict[int, Figures]) -> None:
    first, last = sizes[0], sizes[-1]
    titles = ("whole answer", "time in SQL (round trips included)", "time in the server (EXPLAIN ANALYZE)")
    for title, p50, p99 in zip(titles, (0, 2, 4), (1, 3, 5), strict=True):
        heads = " | ".join(f"{size:,} p50 | {size:,} p99" for size in sizes)
        print(f"\n{title}\n\n| read | {heads} | p99 {last:,} / {first:,} |")
        print("|---" * (2 + 2 * len(sizes)) + "|")
        for name in figures[first]:
            cells = " | ".join(
                f"{figures[size][name][p50]:.2f} | {figures[size][name][p99]:.2f}" if name in figures[size] else "– | –"
                for size in sizes
            )
            ratio = figures[last][name][p99] / figures[first][name][p99] if name in figures[last] else float("nan")
            print(f"| {name} | {cells} | {ratio:.2f} |")
    print(
        f"\n(ms, single connection, {len(sizes)} sizes in one run; "
        f"targets: p99 < {TARGET_P99_MS:.0f} ms, ratio < {TARGET_RATIO})",
        flush=True,
    )


if __name__ == "__main__":
    main()

"""The SLA sweep at realistic size: one sweep over 100,000 open requests, as the worker runs it.

    python -m bench.sla_sweep [--open 100000] [--sweeps 5]
    ./tools/with-postgres .venv/bin/python -m bench.sla_sweep

Seeds requests with bench/seed.py until `--open` are open, spreads their expected-by dates from ten
days ago to twenty days ahead (in two-hour steps), then times: the first sweep (it records every
warning due — the catch-up after a deploy) and the steady state: later sweeps, each two hours after
the one before, so each finds the requests that crossed a threshold since (the every-5-minutes
sweep of a busy city finds fewer).
Uses the configured database (DATABASE_URL, or SQLite in CITYHALL_DATA_DIR). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import datetime, timedelta

BUCKETS = 360  # expected-by dates in two-hour steps over 30 days


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=100_000, dest="open_count")
    parser.add_argument("--sweeps", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The sweep is measured, not the sending: tasks are not run.
    os.environ["CITYHALL_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cityhall.catalogue.models import Jurisdiction
    from cityhall.core import clock
    from cityhall.demo.catalogue import load_catalogue
    from cityhall.notifications import services
    from cityhall.notifications.models import SlaWarning
    from cityhall.requests.models import ServiceRequest
    from cityhall.requests.workflow import OPEN

    from .seed import seed_requests

    call_command("migrate", verbosity=0)
    jurisdiction = Jurisdiction.objects.filter(jurisdiction_id="smgov.net").first() or load_catalogue()
    open_requests = ServiceRequest.objects.filter(status__in=OPEN)
    while (have := open_requests.count()) < args.open_count:
        started = time.perf_counter()
        # About five in eight seeded requests are open.
        seed_requests(jurisdiction, int((args.open_count - have) * 1.7) + 100)
        print(f"seeded to {open_requests.count():,} open requests in {time.perf_counter() - started:.1f} s")

    now = timezone.now()
    started = time.perf_counter()
    bench_open = open_requests.filter(import_source="bench", service__sla_hours__isnull=False)
    for bucket in range(BUCKETS):
        due = now - timedelta(days=10) + timedelta(hours=2 * bucket)
        bench_open.annotate(bucket=F("pk") % BUCKETS).filter(bucket=bucket).update(expected_at=due)
    SlaWarning.objects.all().delete()
    print(f"spread expected-by dates in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE requests_servicerequest")

    total_open = open_requests.count()
    with_sla = open_requests.filter(expected_at__isnull=False).count()

    def timed_sweep(moment: datetime) -> tuple[float, int, int, list[dict[str, str]]]:
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            with transaction.atomic():
                found = services.sla_warnings_sweep(moment)
            elapsed = (time.perf_counter() - began) * 1000
        return elapsed, len(found), len(queries.captured_queries), queries.captured_queries

    first_ms, first_found, first_queries, captured = timed_sweep(now)
    if connection.vendor == "postgresql":  # what autovacuum does after such an insert
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notifications_slawarning")
    steady = []
    for number in range(1, args.sweeps + 1):
        with clock.travel(now + timedelta(hours=2 * number)):
            steady.append(timed_sweep(clock.now()))
    steady_ms = [lap for lap, *_ in steady]

    captured = steady[-1][3]
    plan_sql = next(q["sql"] for q in captured if "requests_servicerequest" in q["sql"] and "expected_at" in q["sql"])
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + plan_sql)
        plan = "\n    ".join(" ".join(str(part) for part in row) for row in cursor.fetchall())

    print(f"\nSLA sweep, {connection.vendor}, {total_open:,} open requests ({with_sla:,} with an expected-by date)")
    print("| sweep | ms | warnings recorded | queries |\n|---|---|---|---|")
    print(f"| first (catch-up: every warning due) | {first_ms:.0f} | {first_found:,} | {first_queries} |")
    print(
        f"| steady state, two hours later (median of {len(steady)}) | {statistics.median(steady_ms):.0f} | "
        f"{statistics.median(found for _, found, _, _ in steady):.0f} | {steady[0][2]} |"
    )
    print(f"query plan of one department's scan:\n    {plan}")


if __name__ == "__main__":
    main()

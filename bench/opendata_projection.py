"""The open-data projection: a full rebuild's speed, and what keeping it current costs each write.

    python -m bench.opendata_projection [--requests 100000] [--writes 40]
    ./tools/with-postgres .venv/bin/python -m bench.opendata_projection

Seeds requests with bench/seed.py, then times `cityhall opendata rebuild` (rows/s), and the
after-commit upkeep: the median time of a resident's submit with the projection refreshed within
the request, the same submit without it, and one enqueue of a database task (what the request pays
now that the worker refreshes it: the reason for doing it in a task).
Uses the configured database (DATABASE_URL, or SQLite in CITYHALL_DATA_DIR). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CITYHALL_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # notifications: not sent
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from cityhall.catalogue.models import Service
    from cityhall.opendata.services import projection_rebuild, projection_refresh
    from cityhall.requests import services
    from cityhall.requests.events import events_committed
    from cityhall.requests.models import RequestEvent

    from .seed import prepared_city

    jurisdiction = prepared_city(args.requests)
    report = projection_rebuild()
    print(
        f"{connection.vendor}: rebuild of {report.requests:,} requests and {report.updates:,} updates "
        f"in {report.seconds:.1f} s = {(report.requests + report.updates) / report.seconds:,.0f} rows/s"
    )

    pothole = Service.objects.get(jurisdiction=jurisdiction, code="potholes")

    def submit_ms() -> float:
        started = time.perf_counter()
        services.service_request_submit(
            service=pothole,
            location=services.Location(lat=34.0115, lng=-118.4917),
            description="Bench pothole",
            attributes={"SIZE": "M"},
            contact=services.Contact(email="bench@example.org"),
        )
        return (time.perf_counter() - started) * 1000

    without = statistics.median(submit_ms() for _ in range(args.writes))

    def refresh_in_place(sender: object, *, event_ids: list[int], **kwargs: object) -> None:
        projection_refresh(list(RequestEvent.objects.filter(pk__in=event_ids).values_list("request_id", flat=True)))

    events_committed.connect(refresh_in_place, dispatch_uid="bench-refresh-in-place")
    with_upkeep = statistics.median(submit_ms() for _ in range(args.writes))
    events_committed.disconnect(dispatch_uid="bench-refresh-in-place")

    def enqueue_ms() -> float:
        started = time.perf_counter()
        now = timezone.now()
        DBTaskResult.objects.create(  # the row a database task backend writes for one enqueue
            task_path="cityhall.opendata.bench", args_kwargs={"args": [[1]], "kwargs": {}}, queue_name="default",
            backend_name="default", priority=0, enqueued_at=now, run_after=now, exception_class_path="", traceback="",
        )  # fmt: skip
        return (time.perf_counter() - started) * 1000

    try:
        enqueue = statistics.median(enqueue_ms() for _ in range(args.writes))
        DBTaskResult.objects.filter(task_path="cityhall.opendata.bench").delete()
    except Exception as exc:  # the task table's columns differ between versions: report, do not fail
        enqueue = float("nan")
        print(f"(enqueue not measured: {exc})")
    print(
        f"submit, median of {args.writes}: {with_upkeep:.1f} ms refreshing the projection in the request, "
        f"{without:.1f} ms without (upkeep {with_upkeep - without:.1f} ms); one task enqueue: {enqueue:.1f} ms"
    )


if __name__ == "__main__":
    main()

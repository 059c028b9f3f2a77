"""Server time of the staff queue pages with a city-sized table behind them.

    python -m bench.staff_queues [--requests 100000] [--laps 40]
    ./tools/with-postgres .venv/bin/python -m bench.staff_queues

Renders the triage queue, a department queue (Public Works, the busiest) and its overdue filter
through Django's full middleware chain, in process (no network), signed in as an agent and as
department staff with a second factor. Uses the configured database. Prints figures only:
wall time, and the process's CPU time (SQLite runs in process), which a busy shared machine
disturbs far less when comparing two versions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cityhall.accounts.models import User
    from cityhall.catalogue.models import Department


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--laps", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from cityhall.catalogue.models import Department
    from cityhall.requests.models import ServiceRequest

    from .seed import prepared_city

    jurisdiction = prepared_city(args.requests)
    works = Department.objects.get(jurisdiction=jurisdiction, slug="public-works")
    total = ServiceRequest.objects.count()
    waiting = ServiceRequest.objects.filter(status="submitted").count()
    in_works = ServiceRequest.objects.filter(
        department=works, status__in=["routed", "assigned", "in_progress", "on_hold"]
    ).count()
    print(f"{connection.vendor}: {total} requests; {waiting} in triage; {in_works} open in {works.name}")

    pages = signed_in_pages(works)
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        response = client.get(url)  # warm: caches, the first connection
        assert response.status_code == 200, (url, response.status_code)
        laps, cpu = [], []
        for _ in range(args.laps):
            began, began_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            laps.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        laps.sort()
        p95 = laps[int(len(laps) * 0.95) - 1]
        print(
            f"  {label:36} median {statistics.median(laps):6.1f} ms   p95 {p95:6.1f} ms   "
            f"cpu median {statistics.median(cpu):6.1f} ms   {len(response.content) // 1024} KiB"
        )


def signed_in_pages(works: Department) -> list[tuple[str, User, str]]:
    """(label, person, URL) of each staff page the benches render: the triage queue as an agent, the
    department queue (and its filters and map) as its staff, the SLA board as its supervisor, each
    person with a second factor; also lets the test client serve static names unhashed."""
    from django.conf import settings

    from cityhall.accounts.models import Role

    from .seed import bench_person

    # Unhashed static names, so the bench needs no `collectstatic` first (as in the tests).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    agent = bench_person("bench-agent@example.org", Role.AGENT, None)
    staff = bench_person("bench-staff@example.org", Role.STAFF, works)
    supervisor = bench_person("bench-supervisor@example.org", Role.SUPERVISOR, works)
    return [
        ("triage queue (agent)", agent, "/staff/triage/"),
        ("department queue (staff)", staff, f"/staff/departments/{works.pk}/"),
        ("department queue, overdue (staff)", staff, f"/staff/departments/{works.pk}/?sla=overdue"),
        ("department queue, at risk (staff)", staff, f"/staff/departments/{works.pk}/?sla=at_risk"),
        ("department map (staff)", staff, f"/staff/departments/{works.pk}/?view=map"),
        ("SLA board (supervisor)", supervisor, "/staff/supervisor/"),
    ]


if __name__ == "__main__":
    main()

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--laps", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    # Unhashed static names, so the bench needs no `collectstatic` first (as in the tests).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import is_mfa_enabled
    from django.db import connection
    from django.test import Client

    from cityhall.accounts.models import Role, User
    from cityhall.catalogue.models import Department
    from cityhall.requests.models import ServiceRequest

    from .seed import prepared_city

    jurisdiction = prepared_city(args.requests)
    works = Department.objects.get(jurisdiction=jurisdiction, slug="public-works")

    def person(email: str, role: str, department: Department | None) -> User:
        user, _ = User.objects.get_or_create(email=email, defaults={"role": role, "department": department})
        if not is_mfa_enabled(user):
            TOTP.activate(user, generate_totp_secret())
        return user

    agent = person("bench-agent@example.org", Role.AGENT, None)
    staff = person("bench-staff@example.org", Role.STAFF, works)
    supervisor = person("bench-supervisor@example.org", Role.SUPERVISOR, works)
    total = ServiceRequest.objects.count()
    waiting = ServiceRequest.objects.filter(status="submitted").count()
    in_works = ServiceRequest.objects.filter(
        department=works, status__in=["routed", "assigned", "in_progress", "on_hold"]
    ).count()
    print(f"{connection.vendor}: {total} requests; {waiting} in triage; {in_works} open in {works.name}")

    pages = [
        ("triage queue (agent)", agent, "/staff/triage/"),
        ("department queue (staff)", staff, f"/staff/departments/{works.pk}/"),
        ("department queue, overdue (staff)", staff, f"/staff/departments/{works.pk}/?sla=overdue"),
        ("department queue, at risk (staff)", staff, f"/staff/departments/{works.pk}/?sla=at_risk"),
        ("department map (staff)", staff, f"/staff/departments/{works.pk}/?view=map"),
        ("SLA board (supervisor)", supervisor, "/staff/supervisor/"),
    ]
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


if __name__ == "__main__":
    main()

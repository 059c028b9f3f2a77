"""Seeds a database of realistic size: requests spread over Santa Monica's services and neighbourhoods."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from shapely.geometry import Point

from cityhall.catalogue.models import Department, Jurisdiction, Service
from cityhall.core import clock
from cityhall.core.geometry import parse_area
from cityhall.geo.cells import cell_of
from cityhall.requests.models import Channel, ServiceRequest
from cityhall.requests.workflow import OPEN, Status

if TYPE_CHECKING:
    from cityhall.accounts.models import User

SOURCE = "bench"


def seed_requests(jurisdiction: Jurisdiction, count: int, *, seed: int = 1) -> int:
    """Add `count` located requests (import_source='bench'); returns how many exist afterwards."""
    existing = ServiceRequest.objects.filter(import_source=SOURCE).count()
    rng = random.Random(seed + existing)
    area = parse_area(jurisdiction.boundary)
    min_x, min_y, max_x, max_y = area.bounds
    # Weight services like the real history: graffiti and refuse dominate.
    services = list(Service.objects.filter(jurisdiction=jurisdiction, active=True).select_related("default_department"))
    weights = [20 if s.code.startswith("graffiti") else 5 if s.sla_hours else 1 for s in services]
    now = clock.now()
    # A city's table grows in time order, so the newest requests share the last pages: draw the
    # moments first and store them oldest first, as a year of real traffic would have.
    moments = sorted(now - timedelta(days=rng.uniform(0, 365)) for _ in range(count))
    batch: list[ServiceRequest] = []
    for index, requested in zip(range(existing, existing + count), moments, strict=True):
        while True:
            lng, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if area.contains(Point(lng, lat)):
                break
        service = rng.choices(services, weights)[0]
        status = rng.choice([*OPEN, Status.CLOSED, Status.CLOSED, Status.CLOSED])
        done = status is Status.CLOSED
        batch.append(
            ServiceRequest(
                jurisdiction=jurisdiction,
                public_id=f"B{index:09d}",
                tracking_token=secrets.token_urlsafe(24),
                service=service,
                description="Benchmark request",
                lat=lat,
                lng=lng,
                cell=cell_of(lat, lng),
                channel=Channel.WEB,
                department=service.default_department if status is not Status.SUBMITTED else None,
                status=status,
                resolution="fixed" if done else "",
                requested_at=requested,
                updated_at=requested,
                resolved_at=requested + timedelta(days=2) if done else None,
                closed_at=requested + timedelta(days=3) if done else None,
                import_source=SOURCE,
                external_id=str(index),
            )
        )
        if len(batch) == 5000:
            ServiceRequest.objects.bulk_create(batch)
            batch.clear()
    ServiceRequest.objects.bulk_create(batch)
    return existing + count


def prepared_city(count: int) -> Jurisdiction:
    """Migrate, load the Santa Monica catalogue and seed up to `count` requests; the benches' shared start."""
    import time

    from django.core.management import call_command
    from django.db import connection

    from cityhall.demo.catalogue import load_catalogue

    call_command("migrate", verbosity=0)
    jurisdiction = Jurisdiction.objects.filter(jurisdiction_id="smgov.net").first() or load_catalogue()
    have = ServiceRequest.objects.filter(jurisdiction=jurisdiction).count()
    if have < count:
        started = time.perf_counter()
        seed_requests(jurisdiction, count - have)
        print(f"seeded {count - have} requests in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE requests_servicerequest")
    return jurisdiction


def bench_key(name: str = "bench") -> str:
    """A fresh Open311 API key with no practical rate limit, so the load is the bench's, not the limit's."""
    from cityhall.partners.models import ApiKey

    ApiKey.objects.filter(name=name).delete()
    row = ApiKey(name=name, rate_limit_per_minute=10_000_000)
    key = row.issue()
    row.save()
    return key


def bench_person(email: str, role: str, department: Department | None = None) -> User:
    """A staff account for a bench, with a second factor (staff pages ask for one), made once."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import is_mfa_enabled

    from cityhall.accounts.models import User

    user, _ = User.objects.get_or_create(email=email, defaults={"role": role, "department": department})
    if not is_mfa_enabled(user):
        TOTP.activate(user, generate_totp_secret())
    return user

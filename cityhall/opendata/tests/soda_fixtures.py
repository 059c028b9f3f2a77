"""A small city with known public requests, to hand-compute what each SoQL query must return."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from cityhall.opendata.models import PublicRequest
from cityhall.opendata.services import projection_rebuild
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit

REQUESTS = "r311-sreq"
FAR = (34.0300, -118.4700)  # about 2.9 km from City Hall

# letter: (service, status, requested at (UTC), neighborhood, place, description)
KNOWN = {
    "a": ("potholes", "open", datetime(2026, 1, 10, 18, 0, tzinfo=UTC), "Pico", CITY_HALL, "Deep pothole near school"),
    "b": ("potholes", "closed", datetime(2026, 1, 20, 18, 0, tzinfo=UTC), "Pico", OCEAN_PARK, "Small pothole"),
    "c": (
        "graffiti-public-property",
        "open",
        datetime(2026, 2, 5, 18, 0, tzinfo=UTC),
        "Ocean Park",
        FAR,
        "Tag on wall",
    ),
    # 23:30 on January 31 in Santa Monica: January in the city's months, though February in UTC.
    "d": (
        "graffiti-public-property",
        "closed",
        datetime(2026, 2, 1, 7, 30, tzinfo=UTC),
        "Ocean Park",
        FAR,
        "50% covered",
    ),
    "e": ("potholes", "closed", datetime(2026, 3, 1, 18, 0, tzinfo=UTC), "Downtown", FAR, "POTHOLE fixed"),
    "f": ("loud-music", "open", datetime(2026, 3, 2, 18, 0, tzinfo=UTC), "Downtown", FAR, "Party at 12 Elm"),
}


@pytest.fixture
def city(service) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The six requests' public numbers by letter, their projection rows set to the values above."""
    ids = {}
    for letter, (code, _status, _at, _neighborhood, place, description) in KNOWN.items():
        request = submit(service(code), at=place, description=description)
        ids[letter] = request.public_id
    projection_rebuild()
    for letter, (_code, status, at, neighborhood, _place, _description) in KNOWN.items():
        PublicRequest.objects.filter(service_request_id=ids[letter]).update(
            status=status,
            requested_datetime=at,
            requested_date=at.astimezone(ZoneInfo("America/Los_Angeles")).date(),
            closed_datetime=at.replace(day=at.day + 1) if status == "closed" else None,
            neighborhood=neighborhood,
        )
    return ids


@pytest.fixture
def slow_query(service) -> tuple[dict[str, str], int]:  # type: ignore[no-untyped-def]
    """A query that cannot finish in 1 ms on either database over 2,000 published requests, and how many
    requests are published (to show that stopping it changed nothing)."""
    from bench.seed import seed_requests

    seed_requests(service("potholes").jurisdiction, 2000)
    published = projection_rebuild().requests
    # Heavy on both databases: a long IN list tested against every row (PostgreSQL scans it row by
    # row) and a city-time truncation per row (on SQLite a Python function).
    codes = ", ".join(f"'code-{n}'" for n in range(300))
    params = {
        "$select": "date_trunc_ymd(requested_datetime) AS day, count(*)",
        "$where": f"upper(description) NOT IN ({codes})",
        "$group": "day",
    }
    return params, published

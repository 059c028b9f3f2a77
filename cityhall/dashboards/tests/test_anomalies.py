"""Anomalies, worked by hand: a service and a neighborhood far above their usual weekly volume."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cityhall.core import clock
from cityhall.dashboards import selectors
from cityhall.dashboards.filters import Filters
from cityhall.dashboards.services import rebuild
from cityhall.geo.lookup import zone_for_point
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")
TODAY = date(2026, 6, 30)


def reports(service, code, at, per_week):
    """per_week[0] this week (the 7 days ending TODAY), per_week[k] k weeks before."""
    for weeks_back, count in enumerate(per_week):
        day = TODAY - timedelta(days=7 * weeks_back + 1)
        for n in range(count):
            with clock.travel(datetime(day.year, day.month, day.day, 9, n, tzinfo=LA)):
                submit(service(code), at=at)


def test_a_week_far_above_the_usual_range_is_flagged(service, santa_monica):
    # Potholes downtown: 12 this week; before, 2 2 3 2 2 3 2 2 → median 2, MAD 0 (counted as 1):
    # 12 ≥ 2 + 3 × 1 and ≥ 10, flagged. Graffiti in Ocean Park: 6 against 1 each week: far above,
    # but under the minimum of 10, so not flagged.
    reports(service, "potholes", CITY_HALL, [12, 2, 2, 3, 2, 2, 3, 2, 2])
    reports(service, "graffiti-public-property", OCEAN_PARK, [6, 1, 1, 1, 1, 1, 1, 1, 1])
    rebuild()
    found = selectors.anomalies(Filters(start=TODAY, end=TODAY), TODAY)
    downtown = zone_for_point(santa_monica, *CITY_HALL)
    assert {(a.kind, a.key, a.this_week, a.usual, a.spread) for a in found} == {
        ("service", service("potholes").pk, 12, 2, 1),
        ("zone", downtown.pk, 12, 2, 1),
    }


def test_a_busy_but_usual_week_is_not_flagged(service, santa_monica):
    reports(service, "potholes", CITY_HALL, [14, 10, 12, 15, 9, 11, 13, 10, 12])  # median 11.5, MAD 1.5: 16 needed
    rebuild()
    assert selectors.anomalies(Filters(start=TODAY, end=TODAY), TODAY) == []

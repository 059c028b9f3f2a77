"""A period is read by whole months and the days at its ends: each request counts once, whatever the edges.

Seven potholes at Ocean Park, one on each of 31 January, 1, 14 and 28 February, 1 and 31 March and
1 April 2026 (noon, city time), each closed 30 hours later, the next day (31 January's on 1 February,
28 February's on 1 March). Every chart, map and table must count exactly those received, and those
closed, between the period's first and last day, however the period meets the months.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cityhall.core import clock
from cityhall.requests import access, services
from cityhall.requests.services import Change
from cityhall.requests.tests.builders import OCEAN_PARK, submit
from cityhall.requests.workflow import Action, Resolution

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")
DAYS = [date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 14), date(2026, 2, 28), date(2026, 3, 1)]
DAYS += [date(2026, 3, 31), date(2026, 4, 1)]


@pytest.fixture
def potholes(people, service, django_capture_on_commit_callbacks):
    for day in DAYS:
        with clock.travel(datetime(day.year, day.month, day.day, 12, tzinfo=LA)):
            with django_capture_on_commit_callbacks(execute=True):
                request = submit(service("potholes"), at=OCEAN_PARK)
            clock.advance(timedelta(hours=30))
            with django_capture_on_commit_callbacks(execute=True):
                services.service_request_transition(
                    service_request=request,
                    action=Action.RESOLVE,
                    actor=access.actor_for(people["supervisor"], request),
                    change=Change(resolution=Resolution.NO_ACTION, reason="Nothing to do."),
                )


def table(client, slug: str, **params: str) -> list[list[str]]:
    response = client.get(reverse("dashboards:chart_csv", args=[slug]), params)
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode())))[1:]


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("2026-02-01", "2026-02-28"),  # one whole month
        ("2026-01-31", "2026-03-01"),  # a day, a whole month, a day
        ("2026-02-14", "2026-03-31"),  # half a month, then a whole one
        ("2026-01-15", "2026-04-01"),  # days, two whole months, days
        ("2026-02-02", "2026-02-27"),  # inside one month
        ("2026-03-01", "2026-04-30"),  # whole months only
        ("2026-03-31", "2026-03-31"),  # one received, its close the next day
        ("2026-04-02", "2026-04-02"),  # nothing received, one closed
    ],
)
def test_every_view_counts_each_request_of_the_period_once(client, people, potholes, first, last):
    def within(days: list[date]) -> int:
        return sum(1 for day in days if date.fromisoformat(first) <= day <= date.fromisoformat(last))

    received, closed = within(DAYS), within([day + timedelta(days=1) for day in DAYS])
    client.force_login(people["supervisor"])
    period = {"from": first, "to": last}
    for grain in ("month", "week", "day"):
        assert sum(int(row[1]) for row in table(client, "received", grain=grain, **period)) == received, grain
        assert sum(int(row[1]) for row in table(client, "closed", grain=grain, **period)) == closed, grain
    # The medians: 30 hours (its bucket, 1.30 days) wherever something was closed in the period.
    medians = {"1.30"} if closed else set()
    for slug in ("neighborhood-map", "hexagon-map"):
        rows = [row for row in table(client, slug, **period) if row[1] != "0" or row[2]]
        assert sum(int(row[1]) for row in rows) == received, slug
        assert {row[2] for row in rows} == medians | ({""} if received and not closed else set()), slug
    assert {row[1] for row in table(client, "close-time", **period)} == medians

"""How many queries a dashboard page runs, pinned: the number is fixed, whatever the data or the filters.

The page shares one read of the day sums among the charts (selectors.one_page), looks up every
bar's department at once, and reads names in one query per kind. A new chart that adds queries
changes these numbers on purpose; a chart that queries per bar or per row makes them grow with
the data, which the second half of each test catches.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityhall.core import clock
from cityhall.requests import access, services
from cityhall.requests.services import Change
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit
from cityhall.requests.workflow import Action, Resolution

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboards:dashboards")
# Queries of one page, sign-in and session included.
PAGE_QUERIES = {"admin": 38, "supervisor": 37}
CSV_QUERIES = {"close-time": 12, "neighborhood-map": 10, "hexagon-map": 10}

SERVICES = ("potholes", "graffiti-public-property", "beach", "curb-ramps", "auto-repair", "airport")


def closed_requests(people, service, codes, at):
    for code in codes:
        with clock.travel(clock.now() - timedelta(days=2)):
            request = submit(service(code), at=at)
            clock.advance(timedelta(hours=3))
            services.service_request_transition(
                service_request=request,
                action=Action.RESOLVE,
                actor=access.actor_for(people["admin"], request),
                change=Change(resolution=Resolution.NO_ACTION, reason="Nothing to do."),
            )


def queries(client, url, **params) -> int:
    client.get(url, params)  # sessions and caches warm, as for a person reading the page
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", sorted(PAGE_QUERIES))
def test_a_page_runs_a_fixed_number_of_queries_however_much_it_shows(
    client, people, service, django_capture_on_commit_callbacks, who
):
    client.force_login(people[who])
    with django_capture_on_commit_callbacks(execute=True):
        closed_requests(people, service, SERVICES[:1], OCEAN_PARK)
    assert queries(client, PAGE) == PAGE_QUERIES[who]
    with django_capture_on_commit_callbacks(execute=True):  # more categories, places and bars
        closed_requests(people, service, SERVICES, CITY_HALL)
    assert queries(client, PAGE) == PAGE_QUERIES[who]
    assert queries(client, PAGE, grain="day", map="received") == PAGE_QUERIES[who]


@pytest.mark.parametrize("slug", sorted(CSV_QUERIES))
def test_a_csv_runs_a_fixed_number_of_queries(client, people, service, django_capture_on_commit_callbacks, slug):
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        closed_requests(people, service, SERVICES, OCEAN_PARK)
    assert queries(client, reverse("dashboards:chart_csv", args=[slug])) == CSV_QUERIES[slug]

"""The staff dashboard's maps: neighborhoods and H3 hexagons, their numbers, links, CSV and scope.

Expectations are worked out by hand: three potholes at Ocean Park (two closed after 2 and 4
hours), one pothole at City Hall (downtown, in no neighborhood) and one Planning complaint at
Ocean Park, which Public Works must never see.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from h3.api import basic_int as h3

from cityhall.catalogue.models import Zone
from cityhall.core import clock
from cityhall.requests import access, services
from cityhall.requests.services import Change
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit
from cityhall.requests.workflow import Action, Resolution

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboards:dashboards")
OCEAN_PARK_CELL = h3.int_to_str(h3.latlng_to_cell(*OCEAN_PARK, 8))
CITY_HALL_CELL = h3.int_to_str(h3.latlng_to_cell(*CITY_HALL, 8))


@pytest.fixture
def world(people, service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start = clock.now() - timedelta(days=3)
        for hours in (2, 4, None):
            with clock.travel(start):
                request = submit(service("potholes"), at=OCEAN_PARK)
                if hours:
                    clock.advance(timedelta(hours=hours))
                    services.service_request_transition(
                        service_request=request,
                        action=Action.RESOLVE,
                        actor=access.actor_for(people["supervisor"], request),
                        change=Change(resolution=Resolution.NO_ACTION, reason="Nothing to do."),
                    )
        submit(service("potholes"), at=CITY_HALL)
        submit(service("auto-repair"), at=OCEAN_PARK, description="Noise at the garage")


def rows(client, slug, **params) -> dict[str, list[str]]:
    response = client.get(reverse("dashboards:chart_csv", args=[slug]), params)
    assert response.status_code == 200, response.content
    table = list(csv.reader(io.StringIO(response.content.decode())))
    return {row[0]: row[1:] for row in table[1:]}


def test_the_neighborhood_map_counts_and_times_each_neighborhood(client, people, world):
    client.force_login(people["supervisor"])
    by_zone = rows(client, "neighborhood-map")
    # Median of 2 h and 4 h by nearest rank is the 2-hour bucket (0.08 days); City Hall is in another one.
    assert by_zone["Ocean Park"] == ["3", "0.08"]
    assert sum(int(received) for received, _ in by_zone.values()) == 4
    assert set(by_zone) == set(Zone.objects.values_list("name", flat=True))  # every neighborhood drawn, even empty


def test_the_hexagon_map_counts_each_cell_with_its_neighborhood(client, people, world):
    client.force_login(people["supervisor"])
    by_cell = rows(client, "hexagon-map")
    assert by_cell == {f"{OCEAN_PARK_CELL} · Ocean Park": ["3", "0.08"], CITY_HALL_CELL: ["1", ""]}


def test_another_department_never_counts_on_the_maps(client, people, world):
    client.force_login(people["other_staff"])  # Planning: the one complaint at Ocean Park
    assert rows(client, "hexagon-map") == {f"{OCEAN_PARK_CELL} · Ocean Park": ["1", ""]}
    assert rows(client, "neighborhood-map")["Ocean Park"] == ["1", ""]
    client.force_login(people["admin"])  # the whole city
    assert rows(client, "hexagon-map")[f"{OCEAN_PARK_CELL} · Ocean Park"] == ["4", "0.08"]


def test_each_neighborhood_opens_its_queue_and_hexagons_link_nowhere(client, people, world, public_works):
    client.force_login(people["supervisor"])
    page = client.get(PAGE).content.decode()
    neighborhoods = page.split('id="chart-neighborhood-map"', 1)[1].split("</figure>", 1)[0]
    ocean_park = Zone.objects.get(name="Ocean Park")
    queue = reverse("staff:department", args=[public_works.pk])
    assert f'<a href="{queue}?zone={ocean_park.pk}" aria-label="Ocean Park: 2 h">' in neighborhoods
    assert "<title>Ocean Park: 2 h</title>" in neighborhoods  # every area names itself and its number
    assert ">2 h</text>" in neighborhoods  # and prints it
    hexagons = page.split('id="chart-hexagon-map"', 1)[1].split("</figure>", 1)[0]
    svg = hexagons.split("</svg>", 1)[0]
    assert "<a " not in svg and svg.count("<path") == 3  # the city's outline and two cells
    assert f"<title>{OCEAN_PARK_CELL} · Ocean Park: 2 h</title>" in svg


def test_each_map_reads_in_one_line(client, people, world):
    client.force_login(people["supervisor"])
    page = client.get(PAGE).content.decode()
    assert "Ocean Park waits longest: 2.0 hours." in page  # as the map prints it: 2 h
    # Both closed requests are in the one Ocean Park hexagon: one median, said once.
    assert "The median to close is 2.0 hours in every hexagon." in page


def test_the_maps_shade_by_requests_when_asked(client, people, world):
    client.force_login(people["supervisor"])
    page = client.get(PAGE, {"map": "received"}).content.decode()
    hexagons = page.split('id="chart-hexagon-map"', 1)[1].split("</svg>", 1)[0]
    assert f"<title>{OCEAN_PARK_CELL} · Ocean Park: 3</title>" in hexagons
    assert "The busiest hexagon had 3 of the 4 requests with a place." in page
    # The form keeps the shading when other filters change.
    assert '<input type="hidden" name="map" value="received">' in page


@pytest.mark.parametrize("url", [PAGE, reverse("dashboards:chart_csv", args=["hexagon-map"])])
def test_an_unknown_shading_is_refused_clearly(client, people, world, url):
    client.force_login(people["supervisor"])
    response = client.get(url, {"map": "<script>"})
    assert response.status_code == 400
    assert "Shade the maps by time to close or by requests." in response.content.decode()

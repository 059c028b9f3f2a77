"""Which city? One answer per web request (selectors.site_city): a second city is a row and a setting, not code.

Open311 is the exception by design: a call names its jurisdiction, or the server must serve only one.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.catalogue.models import Jurisdiction
from cityhall.core.geometry import centre_of
from cityhall.requests.tests.builders import OCEAN_PARK

pytestmark = pytest.mark.django_db

# Around Culver City, east of Santa Monica: no point of one is in the other.
CULVER_BOUNDARY = {
    "type": "Polygon",
    "coordinates": [[[-118.42, 33.99], [-118.37, 33.99], [-118.37, 34.03], [-118.42, 34.03], [-118.42, 33.99]]],
}
IN_CULVER = (34.01, -118.40)


@pytest.fixture
def culver_city(santa_monica) -> Jurisdiction:
    return Jurisdiction.objects.create(
        name="Culver City", jurisdiction_id="culvercity.org", timezone="America/Los_Angeles", boundary=CULVER_BOUNDARY
    )


def _title(page: str) -> str:
    return page.split("<title>", 1)[1].split("</title>", 1)[0]


def test_with_two_cities_and_no_setting_the_site_speaks_for_the_first(client, santa_monica, culver_city):
    title = _title(client.get("/").content.decode())
    assert santa_monica.name in title and "Culver City" not in title


def test_the_setting_chooses_the_second_city_for_every_page(client, settings, santa_monica, culver_city, people):
    settings.CITYHALL_SITE_CITY = "culvercity.org"
    title = _title(client.get("/").content.decode())
    assert "Culver City" in title and santa_monica.name not in title

    client.force_login(people["agent"])  # the 311 desk logs calls for the site's city, on its map
    response = client.get(reverse("staff:log_for_caller"))
    assert response.status_code == 200
    assert response.context["city_centre"] == centre_of(CULVER_BOUNDARY)


def test_a_saved_place_must_be_inside_the_site_city(client, settings, santa_monica, culver_city, people):
    settings.CITYHALL_SITE_CITY = "culvercity.org"
    client.force_login(people["resident"])
    place = reverse("profile:place_add")
    refused = client.post(
        place, {"kind": "home", "label": "", "address": "", "lat": OCEAN_PARK[0], "lng": OCEAN_PARK[1]}
    )
    assert refused.status_code == 400 and "outside the city" in refused.content.decode()
    kept = client.post(place, {"kind": "home", "label": "", "address": "", "lat": IN_CULVER[0], "lng": IN_CULVER[1]})
    assert kept.status_code == 302


def test_open311_still_refuses_to_guess_whatever_the_site_serves(client, settings, santa_monica, culver_city):
    settings.CITYHALL_SITE_CITY = "culvercity.org"
    response = client.get("/open311/v2/services.json")
    assert response.status_code == 400
    [error] = response.json()
    assert "jurisdiction_id" in error["description"]
    named = client.get("/open311/v2/services.json", {"jurisdiction_id": "smgov.net"})
    assert named.status_code == 200 and named.json()

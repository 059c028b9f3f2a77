"""The report form offers a signed-in resident's saved places, each called as the profile calls it (the place
kinds' words, cityhall.accounts' SavedPlace.Kind), in English and Spanish; choosing one places the report."""

from __future__ import annotations

import re

import pytest

from cityhall.accounts.services import saved_place_save
from cityhall.requests.models import ServiceRequest

from .report_helpers import CITY_HALL, pothole_form

pytestmark = pytest.mark.django_db

REPORT = "/report/potholes"


@pytest.fixture
def resident_with_places(client, people):
    resident = people["resident"]
    for kind in ("home", "work", "other"):
        saved_place_save(user=resident, kind=kind, label="", address="", lat=CITY_HALL[0], lng=CITY_HALL[1])
    saved_place_save(user=resident, kind="other", label="Gym", address="", lat=CITY_HALL[0], lng=CITY_HALL[1])
    client.force_login(resident)
    return resident


def offered(page: str) -> tuple[str, list[str]]:
    """The saved places' group as a resident reads it: its legend, and each choice's words."""
    group = page.split('id="id_saved_place"', 1)[1].split("</fieldset>", 1)[0]
    legend = re.sub(r"<[^>]+>", "", re.search(r"<legend>(.*?)</legend>", group, re.S).group(1))
    return " ".join(legend.split()), [label.strip() for label in re.findall(r"<input[^>]*>([^<]*)</label>", group)]


@pytest.mark.parametrize(
    ("language", "legend", "places"),
    [
        ("en", "Saved place (optional)", ["Home", "Work", "Other place", "Gym"]),
        ("es", "Lugar guardado (opcional)", ["Casa", "Trabajo", "Otro lugar", "Gym"]),
    ],
)
def test_the_saved_places_are_offered_in_the_residents_language(
    client, service, resident_with_places, language, legend, places
):
    page = client.get(REPORT, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert offered(page) == (legend, places)


def test_choosing_a_saved_place_places_the_report(client, service, resident_with_places):
    (gym,) = [place for place in resident_with_places.saved_places.all() if place.label == "Gym"]
    response = client.post(REPORT, pothole_form(lat=None, lng=None, saved_place=str(gym.pk)))
    assert response.status_code == 302
    report = ServiceRequest.objects.get()
    assert (report.lat, report.lng) == pytest.approx(CITY_HALL)

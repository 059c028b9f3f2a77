"""Saving a place by its address alone, over HTTP (the form without a script): the city's geocoder places it,
as the report form does; an address it cannot place, or one outside the city, is explained and nothing is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.accounts.models import SavedPlace
from cityhall.geo.geocoding import Found
from cityhall.requests.tests.builders import CITY_HALL, DOWNTOWN_LA
from tests.maps import opens_on_the_city

pytestmark = pytest.mark.django_db

ABOUT_100_M = 0.001  # degrees


@pytest.fixture
def signed_in(client, zelda):
    client.force_login(zelda.user)
    return client


def save_place(client, address: str, *, language: str = "en", **fields):
    form = {"kind": "home", "label": "", "address": address, "lat": "", "lng": "", **fields}
    return client.post(reverse("profile:place_add"), form, HTTP_ACCEPT_LANGUAGE=language)


def test_an_address_alone_saves_the_place_at_its_point_in_the_geocoders_spelling(signed_in, zelda):
    response = save_place(signed_in, "1685  main st")
    assert response.status_code == 302
    home = SavedPlace.objects.get(user=zelda.user)
    assert (home.kind, home.address) == ("home", "1685 Main St")
    assert abs(home.lat - CITY_HALL[0]) < ABOUT_100_M and abs(home.lng - CITY_HALL[1]) < ABOUT_100_M


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "We could not find this address in the city. Check the number and the street."),
        ("es", "No encontramos esta dirección en la ciudad. Revise el número y la calle."),
    ],
)
def test_an_address_the_city_cannot_place_is_explained_in_the_persons_language(signed_in, language, said):
    response = save_place(signed_in, "99999 Nowhere Rd", language=language)
    assert response.status_code == 400 and said in response.content.decode()
    assert 'value="99999 Nowhere Rd"' in response.content.decode()  # kept, to be mended
    assert not SavedPlace.objects.exists()


def test_no_address_and_no_point_asks_for_the_address(signed_in):
    response = save_place(signed_in, "")
    assert response.status_code == 400 and "Type the address of the place." in response.content.decode()
    half = save_place(signed_in, "", lat=str(CITY_HALL[0]))
    assert half.status_code == 400 and "Give both the latitude and the longitude" in half.content.decode()
    assert not SavedPlace.objects.exists()


class PlacesEverythingInLosAngeles:
    """A geocoder not bounded to the city (a Nominatim server can be): every address is found downtown LA."""

    def search(self, jurisdiction, text, *, limit=5):
        return [Found("200 N Spring St", *DOWNTOWN_LA, "address")]

    def reverse(self, jurisdiction, lat, lng):
        return None


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "This place is outside the city, so reports from it cannot be taken here."),
        ("es", "Este lugar está fuera de la ciudad, así que aquí no se pueden recibir reportes de él."),
    ],
)
def test_an_address_found_outside_the_city_is_refused(signed_in, settings, language, said):
    settings.CITYHALL_GEOCODER = f"{__name__}.{PlacesEverythingInLosAngeles.__name__}"
    response = save_place(signed_in, "200 N Spring St", language=language)
    assert response.status_code == 400 and said in response.content.decode()
    assert not SavedPlace.objects.exists()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_place_map_opens_on_the_city_in_either_language(signed_in, language):
    page = signed_in.get(reverse("profile:home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert opens_on_the_city(page)

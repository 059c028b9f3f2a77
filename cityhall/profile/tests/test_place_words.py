"""What the profile calls a saved place, in English and in Spanish: the words of the place kinds
(cityhall.accounts' SavedPlace.Kind), the same on the form that adds one and in the list of those kept."""

from __future__ import annotations

import re

import pytest

from cityhall.accounts.services import saved_place_save
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK

pytestmark = pytest.mark.django_db

WORDS = {
    "en": ("Home", "Work", "Other place"),
    "es": ("Casa", "Trabajo", "Otro lugar"),
}


def kind_options(page: str) -> list[str]:
    select = re.search(r'<select name="kind"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the form offers no choice of place"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def kept_places(page: str) -> list[str]:
    listed = page.split('class="profile-places"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<strong>([^<]*)</strong>", listed)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_kinds_of_place_read_the_same_on_the_form_and_in_the_list(client, zelda, language):
    for kind in ("home", "work", "other"):
        saved_place_save(user=zelda.user, kind=kind, label="", address="", lat=CITY_HALL[0], lng=CITY_HALL[1])
    saved_place_save(user=zelda.user, kind="other", label="Gym", address="", lat=OCEAN_PARK[0], lng=OCEAN_PARK[1])
    client.force_login(zelda.user)

    page = client.get("/profile/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    home, work, other = WORDS[language]
    assert kind_options(page) == [home, work, other]
    # An "other" place is called by the name the resident gave it; one kept without a name, by its kind.
    assert kept_places(page) == [home, work, other, "Gym"]

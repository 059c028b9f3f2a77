"""The built-in geocoder on Santa Monica's real centerlines and facilities."""

from __future__ import annotations

import pytest

from cityhall.geo import geocoding
from cityhall.geo.cells import distance_m
from cityhall.geo.geocoding.words import display, street_key

pytestmark = pytest.mark.django_db

CITY_HALL = (34.0116, -118.4916)  # the building; 1685 Main St is its front door on Main St


def first(santa_monica, text):
    found = geocoding.search(santa_monica, text, limit=3)
    assert found, f"nothing found for {text!r}"
    return found[0]


@pytest.mark.parametrize("text", ["1685 Main St", "1685 main", "1685 MAIN STREET", "1685 Main St.", "1685 Mian St"])
def test_a_house_number_and_street_is_placed_however_it_is_written(santa_monica, text):
    found = first(santa_monica, text)
    assert (found.label, found.kind) == ("1685 Main St", "address")
    assert distance_m(found.lat, found.lng, *CITY_HALL) < 150


def test_abbreviations_directions_and_ordinals(santa_monica):
    assert first(santa_monica, "1301 Ocean Park Boulevard").label == "1301 Ocean Park Blvd"
    assert first(santa_monica, "1444 Seventh Street").label == "1444 7th St"
    assert first(santa_monica, "2400 Montana Avenue, Santa Monica, CA 90403").label == "2400 Montana Ave"
    assert street_key("Alta Place North") == "ALTA PL N" and display("ALTA PL NORTH") == "Alta Pl N"


def test_the_side_of_the_street_follows_the_number_parity(santa_monica):
    odd, even = first(santa_monica, "1685 Main St"), first(santa_monica, "1686 Main St")
    # Main St runs roughly north-south here: odd and even numbers lie on opposite sides, ~16 m apart.
    assert 10 < distance_m(odd.lat, odd.lng, even.lat, even.lng) < 30
    other_odd = first(santa_monica, "1689 Main St")
    assert distance_m(odd.lat, odd.lng, other_odd.lat, other_odd.lng) < distance_m(odd.lat, odd.lng, even.lat, even.lng)


def test_numbers_further_along_are_further_along(santa_monica):
    low, high = first(santa_monica, "1601 Main St"), first(santa_monica, "1929 Main St")
    assert distance_m(low.lat, low.lng, high.lat, high.lng) > 300


@pytest.mark.parametrize("text", ["Main St & Pico Blvd", "main and pico", "Pico Blvd / Main Street", "Main at Pico"])
def test_intersections_from_shared_end_points(santa_monica, text):
    found = first(santa_monica, text)
    assert found.kind == "intersection"
    assert set(found.label.split(" & ")) == {"Main St", "Pico Blvd"}
    # Pico Blvd crosses Main St where its 1900 block starts.
    block_start = first(santa_monica, "1901 Main St")
    assert distance_m(found.lat, found.lng, block_start.lat, block_start.lng) < 40


@pytest.mark.parametrize(
    ("text", "name"), [("Santa Monica Pier", "Pier"), ("Tongva Park", "Tongva Park"), ("tongva", "Tongva Park")]
)
def test_named_places(santa_monica, text, name):
    found = first(santa_monica, text)
    assert (found.label, found.kind) == (name, "place")


def test_autocomplete_finds_half_typed_input(santa_monica):
    assert first(santa_monica, "1685 mai").label == "1685 Main St"
    assert first(santa_monica, "1685 main stre").label == "1685 Main St"
    assert "Main St & Pico Blvd" in [f.label for f in geocoding.search(santa_monica, "main & pi", limit=5)]
    assert geocoding.search(santa_monica, "zzzz qqqq") == []
    assert geocoding.locate(santa_monica, "99999 Main St") is None  # no such number


def test_reverse_gives_the_nearest_address_or_the_corner(santa_monica):
    near = geocoding.reverse(santa_monica, *CITY_HALL)
    assert near is not None and near.kind == "address" and near.label.endswith("Main St")
    assert 1600 <= int(near.label.split()[0]) <= 1800
    assert geocoding.describe(near) == f"near {near.label}"
    corner = first(santa_monica, "Main St & Pico Blvd")
    back = geocoding.reverse(santa_monica, corner.lat + 0.0001, corner.lng)
    assert back is not None and back.kind == "intersection" and geocoding.describe(back) == back.label
    assert set(back.label.split(" & ")) == {"Main St", "Pico Blvd"}
    assert geocoding.reverse(santa_monica, 34.2, -118.2) is None  # far from any street of the city


def test_reverse_of_a_placed_address_gives_it_back(santa_monica):
    for text in ("1715 Main St", "1220 Ocean Park Blvd", "1444 7th St"):
        found = first(santa_monica, text)
        back = geocoding.reverse(santa_monica, found.lat, found.lng)
        assert back is not None and back.kind == "address", text
        number, street = back.label.split(" ", 1)
        assert street == found.label.split(" ", 1)[1] and abs(int(number) - int(text.split()[0])) <= 20


def test_a_street_name_alone_suggests_its_corners_but_is_not_a_place(santa_monica):
    suggested = geocoding.search(santa_monica, "main st", limit=12)
    assert suggested and all(f.kind == "street" and f.label.startswith("Main St & ") for f in suggested)
    assert "Main St & Pico Blvd" in [f.label for f in suggested]  # in address order, from the 1600 block
    assert geocoding.locate(santa_monica, "main st") is None  # which end of Main St?

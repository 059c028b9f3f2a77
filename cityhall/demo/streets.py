"""Santa Monica's street centerlines and public facilities, for address search and “near …”."""

from __future__ import annotations

from cityhall.catalogue.models import Jurisdiction
from cityhall.geo.geocoding.loading import Loaded, load_streets, read_geojson

from .catalogue import DATA

STREETS = DATA / "streets" / "santa_monica_street_centerlines.geojson.gz"
FACILITIES = DATA / "streets" / "santa_monica_public_facilities.geojson"
# What residents call Palisades Beach Rd (the city's stretch of the Pacific Coast Highway).
ALIASES = {"PCH": "PALISADES BEACH RD", "PACIFIC COAST HWY": "PALISADES BEACH RD"}


def load_demo_streets(jurisdiction: Jurisdiction) -> Loaded:
    return load_streets(jurisdiction, read_geojson(STREETS), read_geojson(FACILITIES), ALIASES)

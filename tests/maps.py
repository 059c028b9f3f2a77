"""Reading a page's map as its script does."""

from __future__ import annotations

import re

from cityhall.catalogue.selectors import site_city
from cityhall.geo.lookup import jurisdiction_contains


def opens_on_the_city(page: str) -> bool:
    """Whether the map's `data-centre` ("lat,lng"), split at its comma as the script splits it, is a point in
    the site's city. In Spanish Django writes a number with a decimal comma unless told otherwise."""
    found = re.search(r'data-centre="([^"]*)"', page)
    assert found, "the page has no map centre"
    parts = found.group(1).split(",")
    city = site_city()
    return len(parts) == 2 and city is not None and jurisdiction_contains(city, float(parts[0]), float(parts[1]))

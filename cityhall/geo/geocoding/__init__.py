"""Address search and reverse geocoding behind one interface, so a city can plug in its own geocoder.

`geocoder()` gives the backend chosen by `settings.CITYHALL_GEOCODER`: the built-in one over the
city's own street centerlines ("streets", no outside service), a Nominatim-compatible server
("nominatim", at `CITYHALL_GEOCODER_URL`), or the dotted path of any class with the two methods of
`Geocoder`. Callers use only `search`, `reverse` and `describe` below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from cityhall.catalogue.models import Jurisdiction

Kind = Literal["address", "intersection", "place", "street"]
MAX_QUERY = 120  # characters of a typed address that are read


@dataclass(frozen=True)
class Found:
    """A place found by search or reverse geocoding. `label` is how it is shown: “1685 Main St”.

    Kind "street" is a suggestion made from a street name alone (one of its corners): a choice to
    offer as the resident types, never the answer to the words typed (`locate` skips it).
    """

    label: str
    lat: float
    lng: float
    kind: Kind
    detail: str = ""  # what a suggestion shows under the label (a named place's address)


class Geocoder(Protocol):
    def search(self, jurisdiction: Jurisdiction, text: str, *, limit: int = 5) -> list[Found]:
        """Best matches first; an empty list when nothing in the city matches."""

    def reverse(self, jurisdiction: Jurisdiction, lat: float, lng: float) -> Found | None:
        """The nearest address (kind "address") or corner (kind "intersection"), or None."""


BACKENDS = {
    "streets": "cityhall.geo.geocoding.streets.StreetGeocoder",
    "nominatim": "cityhall.geo.geocoding.nominatim.NominatimGeocoder",
}
_made: dict[str, Geocoder] = {}


def geocoder() -> Geocoder:
    """The configured geocoder (one instance per process and setting)."""
    chosen = settings.CITYHALL_GEOCODER
    if chosen not in _made:
        _made[chosen] = import_string(BACKENDS.get(chosen, chosen))()
    return _made[chosen]


def search(jurisdiction: Jurisdiction, text: str, *, limit: int = 5) -> list[Found]:
    text = " ".join(text.split())[:MAX_QUERY]
    return geocoder().search(jurisdiction, text, limit=limit) if text else []


def locate(jurisdiction: Jurisdiction, text: str) -> Found | None:
    """A typed address as a point: the best match if it is precise (an address, a corner or a named place).

    A street name alone is not a place: which end of Ocean Ave?
    """
    for found in search(jurisdiction, text, limit=1):
        if found.kind != "street":
            return found
    return None


def reverse(jurisdiction: Jurisdiction, lat: float, lng: float) -> Found | None:
    return geocoder().reverse(jurisdiction, lat, lng)


NEAR = "near "


def describe(found: Found) -> str:
    """How a point found by reverse geocoding is written on the request: “near 1685 Main St”, or the corner.

    Stored as text on the request (its address), in English like the street names themselves; shown
    to a reader through `as_read`.
    """
    return found.label if found.kind == "intersection" else f"{NEAR}{found.label}"


def as_read(address: str) -> str:
    """A request's stored address in the reader's language: “near 1685 Main St” is “Cerca de 1685 Main St”."""
    if address.startswith(NEAR):
        return gettext("Near %(address)s") % {"address": address[len(NEAR) :]}
    return address

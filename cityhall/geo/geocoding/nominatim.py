"""A geocoder that asks a Nominatim-compatible server (settings.CITYHALL_GEOCODER = "nominatim").

For a city that runs its own Nominatim (or a compatible service) at CITYHALL_GEOCODER_URL. Searches are
bounded to the jurisdiction's boundary box. A server that is down or slow (CITYHALL_GEOCODER_TIMEOUT
seconds) gives no result rather than an error: the report still goes, with the words typed.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

from cityhall.catalogue.models import Jurisdiction
from cityhall.core.geometry import parse_area

from . import Found

log = logging.getLogger(__name__)


def _label(item: dict[str, Any]) -> tuple[str, str]:
    address = item.get("address") or {}
    road = address.get("road") or address.get("pedestrian") or ""
    if address.get("house_number") and road:
        return f"{address['house_number']} {road}", "address"
    name = item.get("name") or str(item.get("display_name") or "").split(",")[0]
    return name.strip(), "place"


class NominatimGeocoder:
    def _get(self, path: str, query: dict[str, str]) -> Any:
        base = settings.CITYHALL_GEOCODER_URL
        if not base:
            return None
        url = f"{base}/{path}?{urllib.parse.urlencode({**query, 'format': 'jsonv2', 'addressdetails': '1'})}"
        request = urllib.request.Request(  # noqa: S310 (an http(s) address from settings)
            url, headers={"User-Agent": "CityHall 311", "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.CITYHALL_GEOCODER_TIMEOUT) as response:  # noqa: S310
                return json.loads(response.read(1_000_000))
        except (OSError, ValueError, urllib.error.URLError) as problem:
            log.warning("geocoder %s failed: %s", path, problem)
            return None

    def search(self, jurisdiction: Jurisdiction, text: str, *, limit: int = 5) -> list[Found]:
        query = {"q": text, "limit": str(limit)}
        try:
            west, south, east, north = parse_area(jurisdiction.boundary).bounds
            query |= {"viewbox": f"{west},{north},{east},{south}", "bounded": "1"}
        except ValueError:
            pass
        answer = self._get("search", query)
        found = []
        for item in answer if isinstance(answer, list) else []:
            try:
                label, kind = _label(item)
                found.append(Found(label, float(item["lat"]), float(item["lon"]), kind))  # type: ignore[arg-type]
            except (KeyError, TypeError, ValueError):
                continue
        return found[:limit]

    def reverse(self, jurisdiction: Jurisdiction, lat: float, lng: float) -> Found | None:
        item = self._get("reverse", {"lat": f"{lat:.6f}", "lon": f"{lng:.6f}"})
        if not isinstance(item, dict) or "lat" not in item:
            return None
        label, _kind = _label(item)
        return Found(label, float(item["lat"]), float(item["lon"]), "address") if label else None

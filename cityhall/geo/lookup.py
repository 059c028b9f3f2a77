"""Where is a point: in which jurisdiction's boundary, in which zone."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cityhall.catalogue.models import Jurisdiction, Zone
from cityhall.catalogue.selectors import zones_of
from cityhall.core.geometry import prepared, valid_coordinates
from cityhall.core.ttl_cache import TtlCache

_locators: TtlCache[Callable[[float, float], Zone | None]] = TtlCache(seconds=10)


def jurisdiction_contains(jurisdiction: Jurisdiction, lat: float, lng: float) -> bool:
    if not valid_coordinates(lat, lng):
        return False
    area = prepared("jurisdiction", jurisdiction.pk, jurisdiction.updated_at, jurisdiction.boundary)
    return area.contains(lat, lng)


def zone_for_point(jurisdiction: Jurisdiction, lat: float, lng: float) -> Zone | None:
    """The first zone (by name) that covers the point, or None (e.g. Santa Monica's downtown).

    The zones' prepared shapes are kept per process for a few seconds, so a submission pays no query here.
    """
    return _locators.get(jurisdiction.pk, lambda: zone_locator(jurisdiction))(lat, lng)


def zone_locator(jurisdiction: Jurisdiction) -> Callable[[float, float], Zone | None]:
    """A function giving the first zone (by name) that covers a point, for looking up many points.

    Zones and their prepared shapes are read once, when the locator is made: bulk work (imports)
    would otherwise pay two queries per point in zone_for_point. A zone edited meanwhile is seen
    by the next locator, not this one.
    """
    zones = list(zones_of(jurisdiction.pk))
    areas = [(zone, prepared("zone", zone.pk, zone.updated_at, zone.geometry)) for zone in zones]

    def locate(lat: float, lng: float) -> Zone | None:
        if not valid_coordinates(lat, lng):
            return None
        for zone, area in areas:
            if area.contains(lat, lng):
                return zone
        return None

    return locate


class PointsLocator:
    """Where many points lie at once: whether the jurisdiction covers each, and its zone if so.

    The answers are `jurisdiction_contains` and `zone_for_point`'s, asked of GEOS a whole list at a
    time (each point tested only against zones not yet found to hold it): an import's batch of
    points costs a few calls instead of a Point and a test per point and zone. Zones are read once,
    when the locator is made, as `zone_locator` does.
    """

    def __init__(self, jurisdiction: Jurisdiction) -> None:
        self.area = prepared("jurisdiction", jurisdiction.pk, jurisdiction.updated_at, jurisdiction.boundary)
        zones = zones_of(jurisdiction.pk)
        self.zones = [(zone, prepared("zone", zone.pk, zone.updated_at, zone.geometry)) for zone in zones]

    def __call__(self, points: Sequence[tuple[float, float]]) -> list[tuple[bool, Zone | None]]:
        """(inside the jurisdiction, zone) for each valid (lat, lng); the zone is None outside it."""
        lats, lngs = [lat for lat, _ in points], [lng for _, lng in points]
        inside = self.area.contains_many(lats, lngs)
        found: list[Zone | None] = [None] * len(points)
        pending = [index for index, within in enumerate(inside) if within]
        for zone, area in self.zones:
            if not pending:
                break
            hits = area.contains_many([lats[index] for index in pending], [lngs[index] for index in pending])
            for index, hit in zip(pending, hits, strict=True):
                if hit:
                    found[index] = zone
            pending = [index for index, hit in zip(pending, hits, strict=True) if not hit]
        return list(zip(inside, found, strict=True))

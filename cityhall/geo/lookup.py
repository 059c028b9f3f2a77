"""Where is a point: in which jurisdiction's boundary, in which zone."""

from __future__ import annotations

from collections.abc import Callable

from cityhall.catalogue.models import Jurisdiction, Zone
from cityhall.core.geometry import is_fresh, prepared, valid_coordinates


def jurisdiction_contains(jurisdiction: Jurisdiction, lat: float, lng: float) -> bool:
    if not valid_coordinates(lat, lng):
        return False
    area = prepared("jurisdiction", jurisdiction.pk, jurisdiction.updated_at, jurisdiction.boundary)
    return area.contains(lat, lng)


def zone_for_point(jurisdiction: Jurisdiction, lat: float, lng: float) -> Zone | None:
    """The first zone (by name) that covers the point, or None (e.g. Santa Monica's downtown)."""
    if not valid_coordinates(lat, lng):
        return None
    # Only ids and versions are read each time; geometry is loaded again only for a zone that changed.
    versions = list(Zone.objects.filter(jurisdiction=jurisdiction).order_by("name").values_list("pk", "updated_at"))
    stale = [pk for pk, version in versions if not is_fresh("zone", pk, version)]
    geometries = dict(Zone.objects.filter(pk__in=stale).values_list("pk", "geometry")) if stale else {}
    for pk, version in versions:
        area = prepared("zone", pk, version, geometries.get(pk))
        if area.contains(lat, lng):
            return Zone.objects.get(pk=pk)
    return None


def zone_locator(jurisdiction: Jurisdiction) -> Callable[[float, float], Zone | None]:
    """A function giving the first zone (by name) that covers a point, for looking up many points.

    Zones and their prepared shapes are read once, when the locator is made: bulk work (imports)
    would otherwise pay two queries per point in zone_for_point. A zone edited meanwhile is seen
    by the next locator, not this one.
    """
    zones = list(Zone.objects.filter(jurisdiction=jurisdiction).order_by("name"))
    areas = [(zone, prepared("zone", zone.pk, zone.updated_at, zone.geometry)) for zone in zones]

    def locate(lat: float, lng: float) -> Zone | None:
        if not valid_coordinates(lat, lng):
            return None
        for zone, area in areas:
            if area.contains(lat, lng):
                return zone
        return None

    return locate

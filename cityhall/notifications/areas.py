"""What an area is, for alerts and feeds: a neighborhood (zone) or a circle, and some categories."""

from __future__ import annotations

from dataclasses import dataclass

from cityhall.catalogue.models import Service, Zone
from cityhall.geo.cells import metres_per_degree

from .models import AreaAlert

# How far around a point an alert or feed may reach, in meters (the form's choices).
RADIUS_CHOICES = (250, 500, 1000, 2000)


@dataclass(frozen=True)
class Area:
    """A place a feed or an alert is about: a zone, or a circle; and the categories (empty: all)."""

    zone: Zone | None = None
    lat: float | None = None
    lng: float | None = None
    radius_m: int | None = None
    services: tuple[Service, ...] = ()


def bounding_box(lat: float, lng: float, radius_m: float) -> dict[str, float]:
    """The circle's box in degrees, for AreaAlert's min/max columns."""
    per_lat, per_lng = metres_per_degree(lat)
    return {
        "min_lat": lat - radius_m / per_lat,
        "max_lat": lat + radius_m / per_lat,
        "min_lng": lng - radius_m / per_lng,
        "max_lng": lng + radius_m / per_lng,
    }


def area_of(alert: AreaAlert) -> Area:
    return Area(
        zone=alert.zone,
        lat=alert.lat,
        lng=alert.lng,
        radius_m=alert.radius_m,
        services=tuple(alert.services.all()),
    )

"""Polygons from GeoJSON and point-in-polygon, with shapely geometries prepared once per process.

Boundaries are GeoJSON stored on catalogue rows. Parsing and preparing a 451-vertex polygon costs
far more than a lookup, so prepared shapes are cached and keyed by the row's `updated_at`: an edit
in the admin is picked up on the next lookup without a restart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry


def parse_area(geojson: Any) -> BaseGeometry:
    """A valid Polygon/MultiPolygon from GeoJSON (geometry, Feature or FeatureCollection); ValueError otherwise."""
    if isinstance(geojson, dict) and geojson.get("type") == "FeatureCollection":
        parts = [parse_area(feature) for feature in geojson.get("features", [])]
        if not parts:
            raise ValueError("The FeatureCollection has no features.")
        return shapely.union_all(parts)
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict) or geojson.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValueError("Expected a GeoJSON Polygon or MultiPolygon.")
    try:
        geometry = shape(geojson)
    except (KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
        raise ValueError(f"Unreadable GeoJSON geometry: {exc}") from exc
    if geometry.is_empty or not geometry.is_valid:
        raise ValueError("The polygon is empty or invalid (self-intersecting?).")
    return geometry


def centre_of(geojson: Any) -> tuple[float, float]:
    """The middle of an area's bounding box (lat, lng): where a map opens before a pin is placed."""
    try:
        west, south, east, north = parse_area(geojson).bounds
    except ValueError:
        return (0.0, 0.0)
    return ((south + north) / 2, (west + east) / 2)


def valid_coordinates(lat: float, lng: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180


@dataclass(frozen=True)
class PreparedArea:
    geometry: BaseGeometry
    version: datetime | None

    def contains(self, lat: float, lng: float) -> bool:
        # covers() counts points on the edge as inside: a pin on the city line is the city's.
        return bool(self.geometry.covers(Point(lng, lat)))

    def contains_many(self, lats: Sequence[float], lngs: Sequence[float]) -> list[bool]:
        """`contains` of each point, for many at once: one call into GEOS instead of a Point each.

        A point intersects an area exactly when the area covers it (edge included), so the answers
        are contains'.
        """
        return [bool(inside) for inside in shapely.intersects_xy(self.geometry, lngs, lats)]


_cache: dict[tuple[str, int], PreparedArea] = {}


def prepared(kind: str, pk: int, version: datetime | None, geojson: Any) -> PreparedArea:
    """The prepared shape of a row, rebuilt only when the row changed."""
    key = (kind, pk)
    cached = _cache.get(key)
    if cached is None or cached.version != version:
        geometry = parse_area(geojson)
        shapely.prepare(geometry)
        cached = PreparedArea(geometry=geometry, version=version)
        _cache[key] = cached
    return cached

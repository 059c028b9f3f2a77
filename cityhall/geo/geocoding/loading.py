"""Loading a city's streets and named places from GeoJSON (the shape of Santa Monica's GIS exports)."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from django.db import transaction
from shapely.geometry import shape

from cityhall.catalogue.models import Jurisdiction

from ..models import NamedPlace, StreetAlias, StreetSegment
from .streets import forget_indexes


@dataclass(frozen=True)
class Loaded:
    segments: int
    addressed: int
    places: int
    skipped: int


def read_geojson(path: Path) -> dict[str, Any]:
    """A GeoJSON file, gzipped (name ending .gz) or not."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    data = json.loads(raw)
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise ValueError(f"{path.name} is not a GeoJSON FeatureCollection.")
    return data


def _number(value: Any) -> int:
    try:
        return max(0, int(float(value or 0)))
    except (TypeError, ValueError):
        return 0


def _segments(jurisdiction: Jurisdiction, features: list[dict[str, Any]]) -> tuple[list[StreetSegment], int]:
    rows, skipped = [], 0
    for feature in features:
        props, geometry = feature.get("properties") or {}, feature.get("geometry") or {}
        name = " ".join(str(props.get("FULLNAME") or "").split())
        lines = geometry.get("coordinates") or []
        if geometry.get("type") == "LineString":
            lines = [lines]
        elif geometry.get("type") != "MultiLineString":
            lines = []
        for line in lines:
            if not name or len(line) < 2:
                skipped += 1
                continue
            rows.append(
                StreetSegment(
                    jurisdiction=jurisdiction,
                    name=name[:120],
                    kind=str(props.get("TYPE") or "")[:20],
                    left_from=_number(props.get("ADLF")),
                    left_to=_number(props.get("ADLT")),
                    right_from=_number(props.get("ADRF")),
                    right_to=_number(props.get("ADRT")),
                    coordinates=[[round(float(x), 7), round(float(y), 7)] for x, y, *_ in line],
                )
            )
    return rows, skipped


def _places(jurisdiction: Jurisdiction, features: list[dict[str, Any]]) -> list[NamedPlace]:
    """One place per name: a facility drawn as several polygons is their union, placed at a point inside it."""
    shapes: dict[str, list[Any]] = defaultdict(list)
    details: dict[str, dict[str, Any]] = {}
    for feature in features:
        props = feature.get("properties") or {}
        name = " ".join(str(props.get("FAC_NAME") or props.get("NAME") or "").split())
        if not name or not feature.get("geometry"):
            continue
        try:
            shapes[name].append(shape(feature["geometry"]).buffer(0))
        except (ValueError, TypeError, shapely.errors.GEOSException):
            continue
        details.setdefault(name, props)
    rows = []
    for name, parts in shapes.items():
        point = shapely.union_all(parts).representative_point()
        props = details[name]
        rows.append(
            NamedPlace(
                jurisdiction=jurisdiction,
                name=name[:200],
                address=str(props.get("SITUS_ADDR") or "")[:300],
                kind=str(props.get("TYPE") or "")[:40],
                lat=round(point.y, 7),
                lng=round(point.x, 7),
            )
        )
    return rows


@transaction.atomic
def load_streets(
    jurisdiction: Jurisdiction,
    centerlines: dict[str, Any],
    facilities: dict[str, Any] | None = None,
    aliases: dict[str, str] | None = None,
) -> Loaded:
    """Replace the jurisdiction's streets (and, when given, its named places and street aliases)."""
    segments, skipped = _segments(jurisdiction, centerlines["features"])
    StreetSegment.objects.filter(jurisdiction=jurisdiction).delete()
    StreetSegment.objects.bulk_create(segments, batch_size=2000)
    places = []
    if facilities is not None:
        places = _places(jurisdiction, facilities["features"])
        NamedPlace.objects.filter(jurisdiction=jurisdiction).delete()
        NamedPlace.objects.bulk_create(places)
    if aliases is not None:
        StreetAlias.objects.filter(jurisdiction=jurisdiction).delete()
        StreetAlias.objects.bulk_create(
            StreetAlias(jurisdiction=jurisdiction, alias=alias, name=name) for alias, name in aliases.items()
        )
    transaction.on_commit(forget_indexes)
    addressed = sum(1 for s in segments if s.left_from or s.left_to or s.right_from or s.right_to)
    return Loaded(segments=len(segments), addressed=addressed, places=len(places), skipped=skipped)

"""How well the built-in geocoder places addresses: every public facility's own street address (SITUS_ADDR),
geocoded by the street centerlines alone, against that facility's polygon.

    python -m bench.geocoder_accuracy

Named places are switched off (the facility's name or address cannot answer for itself); corners
(“Ashland & 17th St”) are placed from the streets' shared end points. Needs no database: the index is
built from the demo's files directly. Prints the shares within 0 (inside), 30 and 100 m, and every
address it could not place, with the reason.
"""

from __future__ import annotations

import math
import os
import re
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import shapely
    from shapely.geometry import Point, shape

    from cityhall.catalogue.models import Jurisdiction
    from cityhall.demo.streets import ALIASES, FACILITIES, STREETS
    from cityhall.geo.geocoding.loading import _segments, read_geojson
    from cityhall.geo.geocoding.streets import HOUSE, StreetIndex
    from cityhall.geo.geocoding.words import plain
    from cityhall.geo.models import StreetAlias

    city = Jurisdiction(name="City of Santa Monica")
    segments, _skipped = _segments(city, read_geojson(STREETS)["features"])
    aliases = [StreetAlias(alias=alias, name=name) for alias, name in ALIASES.items()]
    index = StreetIndex(segments, [], aliases, {"SANTA", "MONICA"})

    facilities: dict[tuple[str, str], list[BaseGeometry]] = defaultdict(list)
    for feature in read_geojson(FACILITIES)["features"]:
        props = feature["properties"]
        if props.get("SITUS_ADDR"):
            facilities[(props["FAC_NAME"], props["SITUS_ADDR"].strip())].append(shape(feature["geometry"]).buffer(0))
    lat0 = 34.02
    per_lat, per_lng = 110_540.0, 111_320.0 * math.cos(math.radians(lat0))

    def metres(x: float, y: float) -> tuple[float, float]:
        return (x * per_lng, y * per_lat)

    rows: list[tuple[str, str, tuple[float, str, str] | None, str]] = []
    for (name, address), parts in sorted(facilities.items()):
        area = shapely.transform(shapely.union_all(parts), lambda xy: xy * (per_lng, per_lat))
        found = index.search(address, limit=1, places=False)
        if not found:
            rows.append((name, address, None, _why(index, address, HOUSE, plain)))
            continue
        hit = found[0]
        distance = area.distance(Point(metres(hit.lng, hit.lat)))
        rows.append((name, address, (distance, hit.kind, hit.label), ""))

    total = len(rows)
    placed = [(name, address, hit, why) for name, address, hit, why in rows if hit is not None]
    print(f"Facilities with a street address: {total} (distinct name + address)")
    for kind in ("address", "intersection"):
        print(f"  placed as {kind}: {sum(1 for row in placed if row[2][1] == kind)}")
    for limit, label in ((0.0, "inside the polygon"), (30.0, "inside or within 30 m"), (100.0, "within 100 m")):
        share = sum(1 for row in placed if row[2][0] <= limit)
        print(f"  {label}: {share}/{total} = {share / total:.0%}")
    print("\nPlaced more than 100 m away:")
    for name, address, (distance, _kind, label), _ in (row for row in placed if row[2][0] > 100):
        print(f"  {address!r} ({name}) → {label}: {distance:.0f} m")
    print("\nNot placed:")
    for name, address, _, why in (row for row in rows if row[2] is None):
        print(f"  {address!r} ({name}): {why}")


def _why(index, address, house, plain) -> str:  # type: ignore[no-untyped-def]
    tokens = plain(address.split(",")[0]).split()
    if not tokens or not house.match(tokens[0]):
        if any(t in ("&", "AND", "AT") for t in tokens):
            return "a corner of streets that share no end point in the centerlines"
        return "no house number (a description, not an address)"
    rest = [t for t in tokens[1:] if not re.fullmatch(r"ROOM|\d+", t)]
    streets = index.streets_for(rest, best_only=True) if rest else []
    if not streets:
        return "street not in the centerlines"
    spans = ", ".join(f"{s.label} {s.lowest}–{s.highest}" for s in streets[:2])
    return f"number outside the published ranges ({spans})"


if __name__ == "__main__":
    main()

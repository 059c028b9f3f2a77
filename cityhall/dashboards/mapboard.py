"""The staff dashboard's two maps: neighborhoods and H3 hexagons, shaded by median time to close or by requests.

Each is a MapChart (maps.py): drawn as SVG, tabulated and exported as CSV like the bar charts,
at /staff/dashboards/<slug>.csv. A neighborhood links to the department's queue filtered by
zone, as the bars do; a hexagon links nowhere, as the queue has no filter by area.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.models import Jurisdiction
from cityhall.catalogue.selectors import site_city
from cityhall.core.geometry import parse_area
from cityhall.core.ttl_cache import TtlCache
from cityhall.geo.cells import map_cell_boundary, map_cell_name
from cityhall.geo.lookup import zone_locator

from . import map_selectors
from .board import _queue
from .charts import Bar
from .filters import FilterError, Filters
from .map_selectors import Place
from .maps import Area, Frame, MapChart, frame_of, hexagon, path_of, short_duration
from .readings import days, duration

# What shades the maps (?map=…): the median time to close (the default) or the requests received.
COLOURINGS = ("close", "received")


def colouring(params: Mapping[str, str]) -> str:
    chosen = params.get("map") or "close"
    if chosen not in COLOURINGS:
        raise FilterError(_("Shade the maps by time to close or by requests."))
    return chosen


def maps(filters: Filters, colour: str) -> list[MapChart]:
    return [MAPS[slug](filters, colour) for slug in MAPS]


def _frame(*shapes: BaseGeometry) -> tuple[Frame, str, Jurisdiction | None]:
    """The box a map is projected onto (the city's outline and these shapes), and the outline's path."""
    city = site_city()
    if city is None:
        return frame_of(shapes), "", None
    outline = parse_area(city.boundary)
    frame = frame_of([outline, *shapes])
    return frame, path_of(frame.project(outline)), city


def _series() -> tuple[str, str]:
    return _("Requests received"), _("Median days to close")


def _row(place: Place | None) -> tuple[tuple[float | None, float | None], tuple[str, str]]:
    """The table's and CSV's numbers (requests, median days) and how the table reads them."""
    if place is None:
        return (0, None), ("0", "–")
    return (place.received, days(place.close_median)), (str(place.received), duration(place.close_median))


def _printed(place: Place | None, colour: str) -> tuple[str, float | None]:
    """What an area prints and what picks its shade: short, to fit a hexagon on a phone."""
    if colour == "received":
        count = place.received if place else 0
        return str(count), count
    seconds = place.close_median if place else None
    return short_duration(seconds), seconds


def _key(colour: str) -> dict[str, Any]:
    """The key's wording: what the shades measure, and what an area with nothing to measure shows."""
    if colour == "received":
        return {"key_title": _("Requests received"), "in_time": False, "empty_label": ""}  # every area has a count
    return {"key_title": _("Median time to close"), "in_time": True, "empty_label": _("– nothing closed")}


@dataclass(frozen=True)
class _Outlines:
    """The neighborhood map's drawing, the same on every page: its frame, the city's outline, and
    each neighborhood projected, with the point inside it where its number is printed."""

    frame: Frame
    backdrop: str
    zones: list[tuple[int, str, BaseGeometry, tuple[float, float]]]  # id, name, shape, point


# Outlines change only when an admin edits a boundary: reading and projecting every neighborhood's
# GeoJSON was a query of ~20 ms and as much Python on every page. Per city and language (names).
_OUTLINES: TtlCache[_Outlines] = TtlCache(60)


def _outlines() -> _Outlines:
    def load() -> _Outlines:
        frame, backdrop, city = _frame()
        zones = []
        for zone in catalogue.zones_of(city.pk if city is not None else None):
            shape = frame.project(parse_area(zone.geometry))
            point = shape.representative_point()  # inside even a crescent, where the number is printed
            zones.append((zone.pk, zone.name, shape, (point.x, point.y)))
        return _Outlines(frame, backdrop, zones)

    city = site_city()
    return _OUTLINES.get((city.pk if city is not None else None, get_language()), load)


def zone_map(filters: Filters, colour: str) -> MapChart:
    outlines = _outlines()
    places = map_selectors.by_zone(filters)
    department_id = filters.department.pk if filters.department else None
    zones = [z for z in outlines.zones if filters.zone is None or z[0] == filters.zone.pk]
    drawn = [
        _area(name, shape, point, places.get(pk), colour, _queue(department_id, zone=pk))
        for pk, name, shape, point in zones
    ]
    reading = _zone_reading(places, {pk: name for pk, name, *_drawing in zones}, colour)
    return _map("neighborhood-map", drawn, outlines.frame, outlines.backdrop, colour, reading)


def _area(
    name: str, shape: BaseGeometry, anchor: tuple[float, float], place: Place | None, colour: str, href: str = ""
) -> tuple[Area, Bar]:
    """One area as drawn, and as its row of the table and the CSV."""
    values, shown = _row(place)
    number, value = _printed(place, colour)
    return Area(path_of(shape), anchor, name, number, value, href), Bar(name, values, shown, href)


def _map(slug: str, drawn: list[tuple[Area, Bar]], frame: Frame, backdrop: str, colour: str, reading: str) -> MapChart:
    title, label_heading, description = _words(slug, colour)
    return MapChart(
        slug=slug,
        title=title,
        description=description,
        reading=reading,
        label_heading=label_heading,
        series=_series(),
        bars=[bar for _area, bar in drawn],
        areas=[area for area, _bar in drawn],
        backdrop=backdrop,
        height=frame.height,
        **_key(colour),
    )


def _words(slug: str, colour: str) -> tuple[str, str, str]:
    """A map's title, the heading of its table's first column, and what it draws (for the SVG's <desc>)."""
    received = colour == "received"
    if slug == "neighborhood-map":
        return (
            _("Map of neighborhoods"),
            _("Neighborhood"),
            _("Each neighborhood shaded and numbered by the requests received in the period.")
            if received
            else _("Each neighborhood shaded and numbered by its median time from report to closing."),
        )
    return (
        _("Map of hexagons"),
        _("Hexagon (H3 cell) and neighborhood"),
        _("Hexagons about 1 km across, shaded and numbered by the requests received in the period.")
        if received
        else _("Hexagons about 1 km across, shaded and numbered by their median time from report to closing."),
    )


def _zone_reading(places: dict[int, Place], names: dict[int, str], colour: str) -> str:
    shown = [p for p in places.values() if p.key in names]
    if colour == "received":
        if not any(p.received for p in shown):
            return _("Nothing was received in this period.")
        top = max(shown, key=lambda p: (p.received, names[p.key]))
        return _("%(name)s had the most requests: %(n)s.") % {"name": names[top.key], "n": top.received}
    timed = [p for p in shown if p.close_median is not None]
    if not timed:
        return _("Nothing was closed in this period.")
    slow = max(timed, key=lambda p: (p.close_median or 0, names[p.key]))
    return _("%(name)s waits longest: %(took)s.") % {"name": names[slow.key], "took": duration(slow.close_median)}


def cell_map(filters: Filters, colour: str) -> MapChart:
    places = map_selectors.by_cell(filters)
    hexagons = {cell: hexagon(map_cell_boundary(cell)) for cell in sorted(places)}
    frame, backdrop, city = _frame(*hexagons.values())
    locate = zone_locator(city) if city is not None else None
    drawn = []
    for cell, cell_shape in hexagons.items():
        centre = cell_shape.centroid
        zone = locate(centre.y, centre.x) if locate is not None else None
        name = map_cell_name(cell) + (f" · {zone.name}" if zone is not None else "")
        shape = frame.project(cell_shape)
        drawn.append(_area(name, shape, (shape.centroid.x, shape.centroid.y), places[cell], colour))
    return _map("hexagon-map", drawn, frame, backdrop, colour, _cell_reading(list(places.values()), colour))


def _cell_reading(places: list[Place], colour: str) -> str:
    if colour == "received":
        total = sum(p.received for p in places)
        if not total:
            return _("No request with a place was received in this period.")
        top = max(p.received for p in places)
        return _("The busiest hexagon had %(n)s of the %(total)s requests with a place.") % {"n": top, "total": total}
    timed = [p.close_median for p in places if p.close_median is not None]
    if not timed:
        return _("Nothing with a place was closed in this period.")
    if min(timed) == max(timed):
        return _("The median to close is %(took)s in every hexagon.") % {"took": duration(min(timed))}
    return _("Medians to close run from %(fast)s to %(slow)s across hexagons.") % {
        "fast": duration(min(timed)),
        "slow": duration(max(timed)),
    }


MAPS = {"neighborhood-map": zone_map, "hexagon-map": cell_map}

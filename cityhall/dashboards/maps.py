"""Maps as server-rendered SVG, like the bar charts (charts.py): a choropleth of areas, each with its number.

One `MapChart` is a `Chart` whose rows are areas (neighborhoods or H3 hexagons): the table under
it and its CSV are the Chart's own; only the drawing differs. Longitude and latitude are
projected onto the SVG box (equirectangular, x shrunk by the cosine of the middle latitude: true
to a few parts in a thousand across a city) and simplified with shapely to half a pixel, so a
neighborhood of a thousand vertices costs a few dozen points.

Nothing depends on colour alone: each area prints its number, the key names each shade's range,
each area has a <title>, and the table lists every area. Shades are five steps of the USWDS blue
the site uses; numbers are near-black on the light steps and white on the dark ones (both over
4.5:1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
import shapely
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .charts import WIDTH, Chart
from .readings import DAY

PAD = 6
KEY_HEIGHT = 70  # the key's title and two rows of three shades
KEY_COLUMNS = 3
SHADES = ("#d9e8f6", "#aacdec", "#73b3e7", "#2378c3", "#162e51")
INK = ("#1b1b1b", "#1b1b1b", "#1b1b1b", "#ffffff", "#ffffff")
EMPTY = "#ffffff"
EDGE = "#71767a"


@dataclass(frozen=True)
class Frame:
    """The projection of a city's bounds (west, south, east, north) onto a WIDTH-wide box."""

    west: float
    south: float
    east: float
    north: float

    @property
    def squeeze(self) -> float:
        return float(np.cos(np.radians((self.south + self.north) / 2)))

    @property
    def scale(self) -> float:
        return (WIDTH - 2 * PAD) / max((self.east - self.west) * self.squeeze, 1e-9)

    @property
    def height(self) -> float:
        return (self.north - self.south) * self.scale + 2 * PAD

    def project(self, geometry: BaseGeometry) -> BaseGeometry:
        def to_box(coordinates: Any) -> Any:
            x = PAD + (coordinates[:, 0] - self.west) * self.squeeze * self.scale
            y = PAD + (self.north - coordinates[:, 1]) * self.scale
            return np.column_stack((x, y))

        return shapely.transform(geometry, to_box).simplify(0.5, preserve_topology=True)


def frame_of(geometries: Sequence[BaseGeometry]) -> Frame:
    bounds = np.array([g.bounds for g in geometries if not g.is_empty] or [(0.0, 0.0, 1.0, 1.0)])
    return Frame(bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max())


def hexagon(corners: Sequence[tuple[float, float]]) -> Polygon:
    return Polygon(corners)


def path_of(geometry: BaseGeometry) -> str:
    """An SVG path (even-odd) of a projected polygon or multipolygon, to a tenth of a pixel."""
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        for ring in (polygon.exterior, *polygon.interiors):
            points = [f"{x:.1f},{y:.1f}" for x, y in ring.coords[:-1]]
            if len(points) >= 3:
                parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


@dataclass(frozen=True)
class Area:
    path: str  # projected SVG path
    anchor: tuple[float, float]  # where its number is printed
    name: str  # for its <title> and link label
    shown: str  # the number printed in it ("–": nothing to show)
    value: float | None  # what picks its shade
    href: str = ""


@dataclass(frozen=True)
class MapChart(Chart):
    areas: Sequence[Area] = field(default_factory=list)
    backdrop: str = ""  # the city's outline, a projected path
    height: float = 0
    key_title: str = ""  # what the shades measure
    in_time: bool = False  # values are seconds (medians), else counts
    empty_label: str = ""  # the key's word for an area with nothing to measure

    @property
    def svg(self) -> str:
        return draw_map(self)


@dataclass(frozen=True)
class Shading:
    """Equal steps from the lowest value drawn to the highest: as many shades as distinct values, five at most."""

    low: float
    high: float
    steps: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Shading:
        if not values:
            return cls(0.0, 0.0, 0)
        return cls(min(values), max(values), min(len(SHADES), len(set(values))))

    def colours(self) -> list[int]:
        """The indices into SHADES of each step, spread from light to dark."""
        if self.steps <= 1:
            return [len(SHADES) // 2] * self.steps
        return [round(i * (len(SHADES) - 1) / (self.steps - 1)) for i in range(self.steps)]

    def step(self, value: float | None) -> int | None:
        if value is None or not self.steps:
            return None
        if self.high <= self.low:
            return self.colours()[0]
        return self.colours()[min(self.steps - 1, int((value - self.low) / (self.high - self.low) * self.steps))]

    def ranges(self) -> list[tuple[int, float, float]]:
        width = (self.high - self.low) / max(self.steps, 1)
        return [(c, self.low + i * width, self.low + (i + 1) * width) for i, c in enumerate(self.colours())]


def draw_map(chart: MapChart) -> str:
    shading = Shading.of([a.value for a in chart.areas if a.value is not None])
    slug = escape(chart.slug)
    height = chart.height + KEY_HEIGHT
    linked = any(a.href for a in chart.areas)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart map" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="{"group" if linked else "img"}" aria-labelledby="{slug}-title {slug}-desc" font-size="14" '
        'font-family="inherit">',
        f'<title id="{slug}-title">{escape(chart.title)}</title>',
        f'<desc id="{slug}-desc">{escape(chart.description)}</desc>',
    ]
    if chart.backdrop:
        parts.append(f'<path d="{chart.backdrop}" fill="#f0f0f0" stroke="{EDGE}" stroke-width="1"/>')
    for area in chart.areas:
        step = shading.step(area.value)
        fill, ink = (EMPTY, INK[0]) if step is None else (SHADES[step], INK[step])
        x, y = area.anchor
        label = f"{area.name}: {area.shown}"
        shape = (
            f'<path d="{area.path}" fill="{fill}" fill-rule="evenodd" stroke="{EDGE}" stroke-width="1">'
            f"<title>{escape(label)}</title></path>"
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" fill="{ink}">{escape(area.shown)}</text>'
        )
        if area.href:
            shape = f'<a href="{escape(area.href)}" aria-label="{escape(label)}">{shape}</a>'
        parts.append(shape)
    empty = any(a.value is None for a in chart.areas)
    parts.append(_key(chart, shading, empty, chart.height))
    parts.append("</svg>")
    return "".join(parts)


def _key(chart: MapChart, shading: Shading, empty: bool, top: float) -> str:
    """The shades' key: what they measure, then each shade with the range it stands for (and "–": none)."""
    parts = [f'<text x="{PAD}" y="{top + 14:.0f}" fill="#1b1b1b">{escape(chart.key_title)}</text>']
    entries = [
        (SHADES[colour], _range(start, end, chart.in_time, single=shading.high <= shading.low))
        for colour, start, end in shading.ranges()
    ]
    if empty:
        entries.append((EMPTY, chart.empty_label))
    width = (WIDTH - 2 * PAD) / KEY_COLUMNS
    for index, (colour, text) in enumerate(entries):
        x, y = PAD + index % KEY_COLUMNS * width, top + 22 + index // KEY_COLUMNS * 22
        parts.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="14" height="14" fill="{colour}" stroke="{EDGE}"/>'
            f'<text x="{x + 20:.0f}" y="{y + 12:.0f}" fill="#1b1b1b">{escape(text)}</text>'
        )
    return "".join(parts)


def _range(start: float, end: float, in_time: bool, *, single: bool) -> str:
    def read(value: float) -> str:
        return short_duration(value) if in_time else number_format(round(value), 0)

    return read(start) if single else f"{read(start)}–{read(end)}"


def short_duration(seconds: float | None) -> str:
    """ "2.1 d", "5 h", "25 min": a median as a map area or its key prints it."""
    if seconds is None:
        return "–"
    # Rounded here: number_format cuts the digits it drops.
    if seconds >= DAY:
        return _("%(n)s d") % {"n": number_format(round(seconds / DAY, 1), 1)}
    if seconds >= 3600:
        return _("%(n)s h") % {"n": number_format(round(seconds / 3600), 0)}
    return _("%(n)s min") % {"n": number_format(round(seconds / 60), 0)}

"""The portable spatial index: every located request stores the H3 cell that holds it.

An H3 cell id is a 64-bit integer, so the same B-tree index works on SQLite and PostgreSQL with no
spatial extension. A radius search asks for the ring of cells that covers the circle
(`cell IN (…)`, an index lookup), then keeps the rows within the radius. See docs/geo.md for the
numbers behind the resolution.
"""

from __future__ import annotations

import math
from functools import lru_cache

from h3.api import basic_int as h3  # integer cell ids, the form the index stores

# Resolution 10: hexagons ~76 m along an edge (~0.015 km²). A 250 m "nearby" circle needs 61 cells
# (a ring of 4), whose area is under 5x the circle's — few false candidates, one index probe per cell.
CELL_RESOLUTION = 10
EARTH_RADIUS_M = 6_371_008.8
MAX_RADIUS_M = 5_000


def cell_of(lat: float, lng: float) -> int:
    return int(h3.latlng_to_cell(lat, lng, CELL_RESOLUTION))


# A cell's corners are one edge from its centre on a regular hexagon; H3's hexagons are a little
# irregular, so allow a margin when asking whether a cell can reach a circle.
CORNER_REACH = 1.15


def _disk(lat: float, lng: float, radius_m: float) -> tuple[int, float, int]:
    """(centre cell, its edge in metres, rings needed to cover the circle)."""
    radius_m = min(max(radius_m, 0.0), MAX_RADIUS_M)
    centre = h3.latlng_to_cell(lat, lng, CELL_RESOLUTION)
    # Edge of a regular hexagon of this cell's real area (cells vary in size across the globe).
    edge = math.sqrt(2 * h3.cell_area(centre, unit="m^2") / (3 * math.sqrt(3)))
    # A point within the radius lies in a cell whose centre is at most radius + 2 edges from the
    # centre cell's centre (each point is within one edge of its own cell's centre), and every
    # cell centre in ring k is at least 1.5·k edges away: so k rings cover the circle.
    return centre, edge, math.ceil((radius_m + 2 * edge) / (1.5 * edge))


def cells_covering(lat: float, lng: float, radius_m: float) -> list[int]:
    """Every cell that may hold a point within radius_m of (lat, lng)."""
    centre, _, rings = _disk(lat, lng, radius_m)
    return [int(cell) for cell in h3.grid_disk(centre, rings)]


@lru_cache(maxsize=1024)
def cells_reaching(lat: float, lng: float, radius_m: float) -> tuple[int, ...]:
    """The cells of `cells_covering` whose hexagon reaches the circle: under half of them for small radii.

    The ring is a hexagon of cells drawn around the circle, so its corners lie wholly outside;
    dropping them halves the rows a radius search reads. Meant for small radii: it keeps each
    ring's cell centres, per centre cell, in a small cache, and remembers its answers, since a map
    polls the same circle again and again (finding the cells cost a radius search a twentieth).
    """
    radius_m = min(max(radius_m, 0.0), MAX_RADIUS_M)
    centre, edge, rings = _disk(lat, lng, radius_m)
    north, east = metres_per_degree(lat)
    reach = (radius_m + CORNER_REACH * edge) ** 2
    return tuple(
        cell
        for cell, cell_lat, cell_lng in _centres(centre, rings)
        if ((cell_lat - lat) * north) ** 2 + ((cell_lng - lng) * east) ** 2 <= reach
    )


@lru_cache(maxsize=256)
def _centres(centre: int, rings: int) -> tuple[tuple[int, float, float], ...]:
    """Each cell of the disk with its centre: looking centres up costs more than the rest of a search."""
    return tuple((int(cell), *h3.cell_to_latlng(cell)) for cell in h3.grid_disk(centre, rings))


def metres_per_degree(lat: float) -> tuple[float, float]:
    """(north-south, east-west) metres per degree around latitude `lat`, on the plane tangent there.

    Within MAX_RADIUS_M the plane differs from the great circle by under 0.03 %: SQL can then
    measure distance with arithmetic alone, which SQLite and PostgreSQL both have.
    """
    north = EARTH_RADIUS_M * math.pi / 180
    return north, north * math.cos(math.radians(lat))


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


# The dashboards' map cell. Resolution 8: hexagons ~530 m along an edge (~0.74 km²), so Santa
# Monica (~22 km²) is some forty cells — each wide enough on a 360 px screen to print its number,
# and enough to show which part of a neighborhood waits. Resolution 9 (~200 m) would be ~200
# cells of a dozen pixels each.
MAP_RESOLUTION = 8


def parent_arithmetic(resolution: int) -> tuple[int, int]:
    """(mask, offset) such that (cell | mask) − offset is the parent at `resolution` of a stored cell.

    Plain integer arithmetic that SQLite and PostgreSQL both run, so the parent can be computed
    inside an INSERT … SELECT. An H3 index keeps its resolution in bits 52–55 and one 3-bit digit
    per finer resolution below; a coarser cell has the finer digits set to 7 (all ones). Setting
    them with the mask and lowering the resolution field by subtraction gives h3.cell_to_parent
    (checked against it in cityhall/geo/tests).
    """
    if not 0 <= resolution <= CELL_RESOLUTION:
        raise ValueError(f"resolution {resolution} is not coarser than the stored cells'")
    return (1 << 3 * (15 - resolution)) - 1, (CELL_RESOLUTION - resolution) << 52


def map_cell_boundary(cell: int) -> list[tuple[float, float]]:
    """A map cell's corners as (lng, lat), the GeoJSON order."""
    return [(lng, lat) for lat, lng in h3.cell_to_boundary(cell)]


def map_cell_name(cell: int) -> str:
    """The cell's usual written form (hexadecimal), as H3 tools and other maps print it."""
    return str(h3.int_to_str(cell))

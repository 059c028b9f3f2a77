"""The portable spatial index: every located request stores the H3 cell that holds it.

An H3 cell id is a 64-bit integer, so the same B-tree index works on SQLite and PostgreSQL with no
spatial extension. A radius search asks for the ring of cells that covers the circle
(`cell IN (…)`, an index lookup), then keeps the rows within the radius. See docs/geo.md for the
numbers behind the resolution.
"""

from __future__ import annotations

import math

from h3.api import basic_int as h3  # integer cell ids, the form the index stores

# Resolution 10: hexagons ~76 m along an edge (~0.015 km²). A 250 m "nearby" circle needs 61 cells
# (a ring of 4), whose area is under 5x the circle's — few false candidates, one index probe per cell.
CELL_RESOLUTION = 10
EARTH_RADIUS_M = 6_371_008.8
MAX_RADIUS_M = 5_000


def cell_of(lat: float, lng: float) -> int:
    return int(h3.latlng_to_cell(lat, lng, CELL_RESOLUTION))


def cells_covering(lat: float, lng: float, radius_m: float) -> list[int]:
    """Every cell that may hold a point within radius_m of (lat, lng)."""
    radius_m = min(max(radius_m, 0.0), MAX_RADIUS_M)
    centre = h3.latlng_to_cell(lat, lng, CELL_RESOLUTION)
    # Edge of a regular hexagon of this cell's real area (cells vary in size across the globe).
    edge = math.sqrt(2 * h3.cell_area(centre, unit="m^2") / (3 * math.sqrt(3)))
    # A point within the radius lies in a cell whose centre is at most radius + 2 edges from the
    # centre cell's centre (each point is within one edge of its own cell's centre), and every
    # cell centre in ring k is at least 1.5·k edges away: so k rings cover the circle.
    rings = math.ceil((radius_m + 2 * edge) / (1.5 * edge))
    return [int(cell) for cell in h3.grid_disk(centre, rings)]


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

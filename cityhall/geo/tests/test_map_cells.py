"""The map cell computed by integer arithmetic (in SQL) is H3's own parent cell."""

from __future__ import annotations

import random

import pytest
from h3.api import basic_int as h3

from cityhall.geo.cells import CELL_RESOLUTION, MAP_RESOLUTION, cell_of, parent_arithmetic


@pytest.mark.parametrize("resolution", [MAP_RESOLUTION, 9, 5, 0])
def test_the_arithmetic_parent_is_h3s_parent(resolution):
    rng = random.Random(8)
    mask, offset = parent_arithmetic(resolution)
    for _ in range(500):
        cell = cell_of(rng.uniform(-80, 80), rng.uniform(-180, 180))
        assert (cell | mask) - offset == h3.cell_to_parent(cell, resolution)


def test_a_finer_resolution_than_the_stored_cells_is_refused():
    with pytest.raises(ValueError, match="not coarser"):
        parent_arithmetic(CELL_RESOLUTION + 1)

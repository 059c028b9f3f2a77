"""Public rows in a caller's own form (an Open311 item, say), each remembered per process.

Clients poll the same first pages over and over, and turning a row into its form cost more than
reading it. A form is remembered under every value the query read for its row (the reporter's
contacts included, which decide its scrubbed text), whatever else the form shows (the service's
name) and the shape's `key`: an edited request reads different values and is made anew, so
nothing ever needs forgetting. Forms are shared between requests: callers read them, never change them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

# Bounded: 40 pages of 50, more than clients poll. A form and its key hold a row's texts, so a few MB as
# texts run, about 20 MB per process were every text at its longest (requests/bounds.py).
MAX_REMEMBERED = 2_000
_made: dict[Hashable, Any] = {}


@dataclass(frozen=True)
class RowShape:
    """How a caller turns a public row into its form, and `key`: all besides the row that the form
    depends on (the time zone, the host of photo addresses)."""

    key: Hashable
    make: Callable[[dict[str, Any]], Any]


def shaped(shape: RowShape, values: Hashable, row: Callable[[], dict[str, Any]]) -> Any:
    """The form of the row read as `values` (with whatever else it shows), made from `row()` the first time."""
    key = (shape.key, values)
    made = _made.get(key)
    if made is None:
        if len(_made) >= MAX_REMEMBERED:
            _made.clear()
        made = _made[key] = shape.make(row())
    return made

"""The geo app's reads for other code. The address index reads its own tables in `geocoding/streets.py`."""

from __future__ import annotations

from .models import StreetSegment


def has_streets() -> bool:
    """Whether any city's streets are loaded (address search has something to search)."""
    return StreetSegment.objects.exists()

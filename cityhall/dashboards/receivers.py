"""Listening to the domain: each commit's requests are brought up to date in the rollups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .services.rollups import refresh_for_events


def refresh_for_committed_events(sender: Any, *, event_ids: Sequence[int], at: datetime, **kwargs: Any) -> None:
    # Runs after commit, in the process that made the change (a few milliseconds per request,
    # measured in bench/dashboards.py); what a failure here misses, the periodic catch-up mends.
    refresh_for_events(event_ids)

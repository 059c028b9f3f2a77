"""Believable feeds for the demo's devices: each value a pure function of the device's phase and the time.

A bin fills over ten minutes and is emptied (so a request opens, then clears and closes by itself);
a streetlight circuit loses lamps now and then; a water sensor sees a short flood each hour; a noise
monitor hums along with a loud burst every quarter of an hour. No state: the time says it all.
"""

from __future__ import annotations

import math
from datetime import datetime

from .kinds import Kind

BIN_CYCLE = 600  # seconds from empty to collected


def demo_value(kind: str, phase: int, now: datetime) -> tuple[str, float]:
    """The measure this kind reports and its value now, for a device `phase` seconds out of step with others."""
    t = now.timestamp() + phase
    wobble = math.sin(t / 7.0)
    if kind == Kind.LITTER_BIN:
        into = t % BIN_CYCLE
        # Fills to the brim in the first two thirds, stays full until collected at the end of the cycle.
        return "fill", round(min(100.0, 5 + 95 * into / (BIN_CYCLE * 2 / 3) + 2 * wobble) if into > 10 else 5.0, 1)
    if kind == Kind.STREETLIGHT:
        return "lamp_failures", 2.0 if t % 1800 < 300 else 0.0
    if kind == Kind.WATER:
        return "water_level", round(0.35 + 0.05 * wobble, 3) if t % 3600 < 240 else 0.0
    return "sound_level", round(92 + 3 * wobble if t % 900 < 90 else 55 + 8 * wobble, 1)

"""The kinds of device the city runs, and what each may measure: one place for names, units and ranges.

A SenML record names its measurement (`n`, after the pack's base name) and unit (`u`); a value outside
its range, or in another unit, is refused as out of range before anything is stored. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LITTER_BIN = "litter_bin", _("Smart litter bin")
    STREETLIGHT = "streetlight", _("Streetlight controller")
    WATER = "water", _("Water leak and flood sensor")
    NOISE = "noise", _("Noise monitor")


@dataclass(frozen=True)
class Measure:
    """One quantity a kind reports: its SenML name and unit (RFC 8428 units), and the values it may take."""

    name: str
    unit: str
    low: float
    high: float
    label: str


MEASURES: dict[Kind, tuple[Measure, ...]] = {
    Kind.LITTER_BIN: (Measure("fill", "%", 0, 100, "fill level"),),
    # Lamps out on the controller's circuit (a controller drives at most 64).
    Kind.STREETLIGHT: (Measure("lamp_failures", "count", 0, 64, "failed lamps"),),
    # Standing water above the sensor's floor, in meters; a leak sensor sends 0 or a few millimeters.
    Kind.WATER: (Measure("water_level", "m", 0, 5, "water level"),),
    # A-weighted sound level averaged over the sending interval (LAeq).
    Kind.NOISE: (Measure("sound_level", "dB", 0, 140, "sound level"),),
}


def measure_of(kind: str, name: str) -> Measure | None:
    """The measure `name` of this kind, or None when the kind does not report it."""
    for measure in MEASURES.get(Kind(kind), ()):
        if measure.name == name:
            return measure
    return None

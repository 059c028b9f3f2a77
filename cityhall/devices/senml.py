"""SenML (RFC 8428) JSON packs: parsed and checked in one place, before anything is stored.

A pack is a JSON array of records. Base fields (`bn`, `bt`, `bu`, `bv`, `bver`) apply to the records
that follow them; each record's name is `bn + n`, its time `bt + t` (a time below 2**28 is relative
to now, as the RFC says), its value `bv + v` (or `vb`, read as 1 or 0). A device names its
measurements `<device id>:<measure>` (`bn` "bin-0042:", `n` "fill"), in the units of `kinds.py`.

Every refusal is a `Rejected` with a `Reason` (counted per device) and a sentence for the sender.
Pure: no database, no Django settings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import orjson

from .kinds import Measure, measure_of

MAX_BYTES = 16 * 1024
MAX_RECORDS = 64
# RFC 8428 section 4.5.3: times below 2**28 seconds are relative to the receiver's now.
RELATIVE_BELOW = 2**28
# A reading from further back is refused (a device may buffer while its link is down, not for days).
MAX_AGE = timedelta(hours=24)
# Clocks drift: a reading up to this far ahead of ours is taken as now-ish, beyond it refused.
MAX_AHEAD = timedelta(minutes=5)
# Locations a device with a reported location may send (RFC 8428 registers units "lat" and "lon").
POSITION = {"lat": ("lat", -90.0, 90.0), "lon": ("lon", -180.0, 180.0)}


class Reason(StrEnum):
    """Why a message was refused; each is counted per device (the admin shows the counts)."""

    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    REPLAYED = "replayed"
    OUT_OF_RANGE = "out_of_range"
    RATE_LIMITED = "rate_limited"


class Rejected(Exception):
    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Reading:
    name: str  # the measure's name, without the device's prefix
    at: datetime
    value: float


def parse(body: bytes, *, device_id: str, kind: str, now: datetime, last_at: datetime | None) -> list[Reading]:
    """The readings of a pack from this device, in the pack's order; raises Rejected for the whole pack.

    `last_at` is the time of the device's newest stored reading: anything not newer is a replay.
    """
    if len(body) > MAX_BYTES:
        raise Rejected(Reason.MALFORMED, f"A pack may hold at most {MAX_BYTES} bytes.")
    try:
        pack = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise Rejected(Reason.MALFORMED, "The body is not JSON.") from exc
    if not isinstance(pack, list) or not pack:
        raise Rejected(Reason.MALFORMED, "A SenML pack is a JSON array of at least one record.")
    if len(pack) > MAX_RECORDS:
        raise Rejected(Reason.MALFORMED, f"A pack may hold at most {MAX_RECORDS} records.")
    readings: list[Reading] = []
    base = _Base()
    seen: set[tuple[str, datetime]] = set()
    for index, record in enumerate(pack):
        if not isinstance(record, dict):
            raise Rejected(Reason.MALFORMED, f"Record {index} is not a JSON object.")
        base = base.after(record, index)
        reading = _reading(record, index, base, device_id=device_id, kind=kind, now=now)
        if (reading.name, reading.at) in seen or (last_at is not None and reading.at <= last_at):
            raise Rejected(Reason.REPLAYED, f"Record {index} is not newer than a reading already received.")
        seen.add((reading.name, reading.at))
        readings.append(reading)
    return readings


@dataclass(frozen=True)
class _Base:
    name: str = ""
    time: float = 0.0
    unit: str = ""
    value: float = 0.0

    def after(self, record: dict[str, Any], index: int) -> _Base:
        """The base values in force from this record on (RFC 8428 section 4.1)."""
        must_understand = sorted(key for key in record if key.endswith("_"))
        if must_understand:
            raise Rejected(Reason.MALFORMED, f"Record {index} has fields this server does not know: {must_understand}.")
        version = record.get("bver", 10)
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 10:
            raise Rejected(Reason.MALFORMED, f"Record {index}: bver must be a SenML version from 1 to 10.")
        return _Base(
            name=_text(record, "bn", index, self.name),
            time=_number(record, "bt", index, self.time),
            unit=_text(record, "bu", index, self.unit),
            value=_number(record, "bv", index, self.value),
        )


def _reading(record: dict[str, Any], index: int, base: _Base, *, device_id: str, kind: str, now: datetime) -> Reading:
    full_name = base.name + _text(record, "n", index, "")
    prefix = f"{device_id}:"
    if not full_name.startswith(prefix):
        raise Rejected(Reason.UNKNOWN, f"Record {index} is named “{full_name}”; this device's names begin “{prefix}”.")
    name = full_name.removeprefix(prefix)
    unit = _text(record, "u", index, base.unit)
    if "vb" in record:
        if not isinstance(record["vb"], bool):
            raise Rejected(Reason.MALFORMED, f"Record {index}: vb must be true or false.")
        value = 1.0 if record["vb"] else 0.0
    elif "v" in record:
        value = base.value + _number(record, "v", index, 0.0)
    else:
        raise Rejected(Reason.MALFORMED, f"Record {index} has no numeric value (v or vb).")
    at = _time(base.time + _number(record, "t", index, 0.0), index, now)
    low, high = _range(kind, name, unit, index)
    if not low <= value <= high:
        raise Rejected(Reason.OUT_OF_RANGE, f"Record {index}: {name} {value:g} {unit} is outside {low:g}–{high:g}.")
    return Reading(name=name, at=at, value=value)


def _range(kind: str, name: str, unit: str, index: int) -> tuple[float, float]:
    measure: Measure | None = measure_of(kind, name)
    if measure is not None:
        expected, low, high = measure.unit, measure.low, measure.high
    elif name in POSITION:
        expected, low, high = POSITION[name]
    else:
        raise Rejected(Reason.UNKNOWN, f"Record {index}: this kind of device does not report “{name}”.")
    if unit != expected:
        raise Rejected(Reason.OUT_OF_RANGE, f"Record {index}: {name} is sent in “{expected}”, not “{unit}”.")
    return low, high


def _time(seconds: float, index: int, now: datetime) -> datetime:
    if seconds < RELATIVE_BELOW:
        at = now + timedelta(seconds=seconds)
    else:
        try:
            at = datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise Rejected(Reason.OUT_OF_RANGE, f"Record {index}: the time is not a date.") from exc
    if at > now + MAX_AHEAD:
        raise Rejected(Reason.OUT_OF_RANGE, f"Record {index} is from the future: check the device's clock.")
    if at < now - MAX_AGE:
        raise Rejected(Reason.OUT_OF_RANGE, f"Record {index} is older than {MAX_AGE.total_seconds() / 3600:g} hours.")
    # Stored to the millisecond: the same reading sent twice compares equal on every database.
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


def _text(record: dict[str, Any], key: str, index: int, default: str) -> str:
    value = record.get(key, default)
    if not isinstance(value, str) or len(value) > 120:
        raise Rejected(Reason.MALFORMED, f"Record {index}: {key} must be a string of at most 120 characters.")
    return value


def _number(record: dict[str, Any], key: str, index: int, default: float) -> float:
    value = record.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Rejected(Reason.MALFORMED, f"Record {index}: {key} must be a number.")
    return float(value)

"""The TOML mapping that tells the importer how to read one source's CSV export.

A mapping names the source's columns and translates its status, category and department words into
ours; see docs/import.md for the format and cityhall/demo/data/santa_monica_mapping.toml for an example.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..models import Channel, ServiceRequest
from ..workflow import DONE, Resolution, Status

MAX_PUBLIC_ID = int(ServiceRequest._meta.get_field("public_id").max_length or 0)

COLUMN_KEYS = (
    *("id", "service", "status", "requested", "closed", "department"),
    *("lat", "long", "address", "description", "zipcode"),
    *("resolution_text", "channel", "updated"),
)
REQUIRED_COLUMNS = ("id", "service", "status", "requested")
_SETTINGS = {
    *("source", "id_prefix", "columns", "date_formats", "timezone"),
    *("statuses", "services", "departments", "delimiter", "fallback_service", "channels"),
}


def match_key(word: str) -> str:
    """Source words are matched trimmed and case-insensitively."""
    return word.strip().casefold()


@dataclass(frozen=True)
class StatusRule:
    status: Status
    resolution: str  # a Resolution value, or "" for open statuses


@dataclass(frozen=True)
class ImportMapping:
    """How to read one source's export. Dict keys of statuses/services/departments are normalised (match_key)."""

    source: str
    id_prefix: str
    columns: dict[str, str]  # our key (COLUMN_KEYS) -> the source's column name; optional keys may be absent
    date_formats: tuple[str, ...]  # strptime formats, or "iso", tried in order
    timezone: str
    statuses: dict[str, StatusRule]
    services: dict[str, str] = field(default_factory=dict)  # source name -> our service code
    departments: dict[str, str] = field(default_factory=dict)  # source name -> our slug ("" = the service's default)
    delimiter: str = ","  # of the CSV file: for whoever opens it (csv.DictReader); rows arrive already split
    fallback_service: str = ""  # our service code for categories nothing else matches ("" = skip those rows)
    channels: dict[str, str] = field(default_factory=dict)  # source word -> our Channel value


def load_mapping(path: str | Path) -> ImportMapping:
    """Read a mapping TOML file. Raises OSError if unreadable, ValueError naming what is wrong in it."""
    with Path(path).open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path} is not valid TOML: {exc}") from exc
    try:
        return _parse_mapping(data)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


def _parse_mapping(data: dict[str, Any]) -> ImportMapping:
    unknown = sorted(set(data) - _SETTINGS)
    if unknown:
        raise ValueError(f"unknown setting(s) {', '.join(unknown)}; expected {', '.join(sorted(_SETTINGS))}")
    source = data.get("source")
    if not isinstance(source, str) or not source.strip() or len(source) > 64:
        raise ValueError('source: give a short name (up to 64 characters) for the source, e.g. "santa-monica-go"')
    id_prefix = data.get("id_prefix", "")
    if not isinstance(id_prefix, str) or len(id_prefix) >= MAX_PUBLIC_ID:
        raise ValueError(f"id_prefix: give a string shorter than {MAX_PUBLIC_ID} characters (it may be empty)")
    columns = _table(data, "columns", required=True)
    bad = sorted(set(columns) - set(COLUMN_KEYS))
    if bad:
        raise ValueError(f"columns: unknown key(s) {', '.join(bad)}; expected {', '.join(COLUMN_KEYS)}")
    missing = [key for key in REQUIRED_COLUMNS if not columns.get(key)]
    if missing:
        raise ValueError(f"columns: name the source column for {', '.join(missing)}")
    if ("lat" in columns) != ("long" in columns):
        raise ValueError("columns: lat and long go together (name both, or neither)")
    formats = data.get("date_formats")
    formats = [formats] if isinstance(formats, str) else formats
    if not isinstance(formats, list) or not formats or not all(isinstance(f, str) and f for f in formats):
        raise ValueError('date_formats: give a list of strptime formats such as ["%m/%d/%Y"], or "iso"')
    zone_name = str(data.get("timezone", ""))
    try:
        ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"timezone: {zone_name!r} is not a time zone; give an IANA name such as 'America/Los_Angeles'"
        ) from exc
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise ValueError('delimiter: give the one character between CSV fields, e.g. ";" (default ",")')
    fallback = data.get("fallback_service", "")
    if not isinstance(fallback, str):
        raise ValueError('fallback_service: give our service code for unmatched categories, e.g. "other"')
    channels = _table(data, "channels")
    wrong = sorted(word for word, value in channels.items() if value not in set(Channel.values))
    if wrong:
        raise ValueError(f"channels: {', '.join(map(repr, wrong))} must map to one of {', '.join(Channel.values)}")
    return ImportMapping(
        source=source.strip(),
        id_prefix=id_prefix,
        columns=columns,
        date_formats=tuple(formats),
        timezone=zone_name,
        statuses=_parse_statuses(_table(data, "statuses", required=True, strings=False)),
        services={match_key(name): code for name, code in _table(data, "services").items()},
        departments={match_key(name): slug for name, slug in _table(data, "departments", blank=True).items()},
        delimiter=delimiter,
        fallback_service=fallback.strip(),
        channels={match_key(word): value for word, value in channels.items()},
    )


def _table(
    data: dict[str, Any], name: str, *, required: bool = False, strings: bool = True, blank: bool = False
) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict) or (required and not table):
        raise ValueError(f"{name}: expected a table [{name}]" + (" with at least one entry" if required else ""))
    if strings:
        for key, value in table.items():
            if not isinstance(value, str) or not (blank or value.strip()):
                raise ValueError(f"{name}: the value for {key!r} must be a{'' if blank else ' non-empty'} string")
    return table


def _parse_statuses(table: dict[str, Any]) -> dict[str, StatusRule]:
    statuses = {}
    for word, rule in table.items():
        if not isinstance(rule, dict) or set(rule) - {"status", "resolution"}:
            raise ValueError(
                f'statuses: {word!r} must be a table such as {{ status = "closed", resolution = "fixed" }}'
            )
        status, resolution = rule.get("status"), rule.get("resolution", "")
        if status not in set(Status):
            raise ValueError(f"statuses: {word!r} has status {status!r}; expected one of {', '.join(Status)}")
        done = Status(status) in DONE
        if done and resolution not in set(Resolution):
            raise ValueError(
                f"statuses: {word!r} is {status}, so it needs a resolution: one of {', '.join(Resolution)}"
            )
        if not done and resolution:
            raise ValueError(f"statuses: {word!r} is {status}, an open status, so it takes no resolution")
        statuses[match_key(word)] = StatusRule(Status(status), resolution)
    return statuses

"""Reading Open311 parameters the way real clients send them, refusing bad ones with a clear 400."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpRequest, QueryDict

from cityhall.core import clock
from cityhall.geo.cells import MAX_RADIUS_M

from .errors import Open311Error

MAX_SPAN = timedelta(days=90)
DEFAULT_SPAN = timedelta(days=90)
MAX_PAGE_SIZE = 1000
YEARS = clock.CLIENT_YEARS
# "+" in a query string means a space, so an unescaped "+08:00" offset arrives as " 08:00".
_SPACE_OFFSET = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


def value(data: QueryDict, name: str) -> str:
    """A single parameter; empty counts as absent. Repeated with different values is refused."""
    if name not in data:
        return ""  # most of the parameters a list reads are absent
    values = [v.strip() for v in data.getlist(name) if v.strip()]
    if len(set(values)) > 1:
        raise Open311Error(400, f"{name} was given more than once with different values.")
    if values and "\ufffd" in values[0]:
        raise Open311Error(400, f"{name} is not valid UTF-8.")
    return values[0] if values else ""


def either(request: HttpRequest, name: str) -> str:
    """api_key and jurisdiction_id come in the query string or the form body alike."""
    return (
        value(request.POST, name)
        if request.method == "POST" and value(request.POST, name)
        else value(request.GET, name)
    )


def comma_list(data: QueryDict, name: str) -> list[str]:
    return [part.strip() for raw in data.getlist(name) for part in raw.split(",") if part.strip()]


def parse_datetime(text: str, name: str, zone: ZoneInfo) -> datetime:
    """W3C datetimes: Z or ±HH:MM, optional fractions; a date alone or no offset means city time."""
    cleaned = _SPACE_OFFSET.sub(r"\1+\2", text.strip())
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        raise Open311Error(400, f"{name} is not a W3C datetime like 2026-11-22T09:30:00-08:00: {text!r}.") from None
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        raise Open311Error(400, f"{name} must be a date between {YEARS[0]} and {YEARS[1]}: {text!r}.")
    if len(cleaned) == 10:
        parsed = datetime.combine(parsed.date(), time(0))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def parse_float(data: QueryDict, name: str, low: float, high: float) -> float | None:
    text = value(data, name)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise Open311Error(400, f"{name} must be a number: {text!r}.") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise Open311Error(400, f"{name} must be between {low:g} and {high:g}.")
    return number


def parse_int(data: QueryDict, name: str, low: int, high: int) -> int | None:
    text = value(data, name)
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise Open311Error(400, f"{name} must be a whole number: {text!r}.")
    number = int(text)
    if not low <= number <= high:
        raise Open311Error(400, f"{name} must be between {low} and {high}.")
    return number


@dataclass
class RequestQuery:
    """The filters of GET requests, parsed and checked."""

    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None
    near: tuple[float, float, float] | None = None
    text: str = ""
    page: int = 1
    page_size: int = MAX_PAGE_SIZE
    extensions: bool = False


def request_query(data: QueryDict, zone: ZoneInfo, now: datetime) -> RequestQuery:
    query = RequestQuery(extensions=value(data, "extensions").lower() == "true")
    query.ids = comma_list(data, "service_request_id")
    page_size = parse_int(data, "page_size", 1, MAX_PAGE_SIZE)
    count = parse_int(data, "count", 1, MAX_PAGE_SIZE)
    query.page_size = page_size or count or MAX_PAGE_SIZE
    query.page = parse_int(data, "page", 1, 1_000_000) or 1
    if query.ids:
        return query  # service_request_id overrides every other filter
    query.service_codes = comma_list(data, "service_code")
    query.statuses = [s.lower() for s in comma_list(data, "status")]
    unknown = [s for s in query.statuses if s not in ("open", "closed")]
    if unknown:
        raise Open311Error(400, f"status must be open and/or closed, not {unknown[0]!r}.")
    start, end = value(data, "start_date"), value(data, "end_date")
    query.start = parse_datetime(start, "start_date", zone) if start else None
    query.end = parse_datetime(end, "end_date", zone) if end else None
    if query.start and query.end:
        if query.end < query.start:
            raise Open311Error(400, "end_date is before start_date.")
        if query.end - query.start > MAX_SPAN:
            raise Open311Error(400, "start_date and end_date may not be more than 90 days apart.")
    elif query.start:
        query.end = min(query.start + MAX_SPAN, now + timedelta(days=1))
    elif query.end:
        query.start = query.end - MAX_SPAN
    for name in ("updated_after", "updated_before"):
        text = value(data, name)
        setattr(query, name, parse_datetime(text, name, zone) if text else None)
    if query.start is None and query.updated_after is None and query.updated_before is None:
        query.start = now - DEFAULT_SPAN  # the spec's default volume: the last 90 days
    query.bbox = _bbox(value(data, "bbox"))
    lat, lng = parse_float(data, "lat", -90, 90), parse_float(data, "long", -180, 180)
    radius = parse_float(data, "radius", 1, MAX_RADIUS_M)
    if (lat is None) != (lng is None):
        raise Open311Error(400, "lat and long must be sent together.")
    if lat is not None and lng is not None:
        query.near = (lat, lng, radius or 500.0)
    elif radius is not None:
        raise Open311Error(400, "radius needs lat and long.")
    query.text = value(data, "q")[:200]
    return query


def _bbox(text: str) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    parts = text.split(",")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise Open311Error(400, "bbox must be west,south,east,north in decimal degrees.") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise Open311Error(400, "bbox must be finite numbers.")
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise Open311Error(400, "bbox must be west,south,east,north with west <= east and south <= north.")
    return west, south, east, north
